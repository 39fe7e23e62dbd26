"""``backend.move``: arrays across devices and dtypes, copying exactly when asked or needed."""

import numpy as np
import pytest

import minitorch.backend.transfer as transfer
from minitorch.backend import backend_for, get_backend, move
from minitorch.backend.numpy_backend import NumpyBackend

CPU = backend_for("cpu")


def test_same_device_and_dtype_is_the_array_itself():
    x = np.arange(6, dtype=np.float32)
    assert move(x, CPU, None) is x
    assert move(x, CPU, np.float32) is x


def test_copy_true_gives_a_new_array_with_the_same_values():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y = move(x, CPU, None, copy=True)
    assert y is not x and not np.shares_memory(x, y)
    np.testing.assert_array_equal(x, y)
    y[0, 0] = 99
    assert x[0, 0] == 0


PAIRS = [(np.float64, np.float32), (np.float32, np.float64), (np.float32, np.float16),
         (np.int64, np.float32)]  # fmt: skip


@pytest.mark.parametrize("copy", [False, True])
@pytest.mark.parametrize("src, dst", PAIRS)
def test_dtype_change_is_a_new_array_rounded_as_astype(src, dst, copy):
    x = (np.arange(5) / 3).astype(src)
    y = move(x, CPU, dst, copy=copy)
    assert y.dtype == dst and not np.shares_memory(x, y)
    np.testing.assert_array_equal(y, x.astype(dst))


def test_none_dtype_keeps_integer_arrays_integer():
    x = np.arange(4, dtype=np.int64)
    assert move(x, CPU, None).dtype == np.int64


class RecordingBackend(NumpyBackend):
    """A second 'device' that records its host transfers."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []

    def to_host(self, x):
        self.calls.append("to_host")
        return np.array(x)  # a host copy

    def from_host(self, x):
        self.calls.append("from_host")
        return np.array(x)  # a device copy


def test_crossing_devices_goes_through_the_host_and_copies_once(monkeypatch):
    other = RecordingBackend()
    x = np.arange(4, dtype=np.float32)
    monkeypatch.setattr(transfer, "get_backend", lambda a: other if a is x else get_backend(a))
    y = move(x, CPU, None, copy=True)  # from the fake device to the CPU
    assert other.calls == ["to_host"]
    assert y is not x and y.dtype == np.float32
    np.testing.assert_array_equal(y, x)
    z = move(np.arange(3, dtype=np.float64), other, np.float32)  # from the CPU to it
    assert other.calls == ["to_host", "from_host"] and z.dtype == np.float32


def test_round_trip_through_a_device(device):
    x = np.linspace(-1, 1, 7).astype(np.float64)
    target = backend_for(device)
    on_device = move(x, target, np.float32)
    assert target.owns(on_device) and on_device.dtype == np.float32
    back = move(on_device, CPU, None)
    assert isinstance(back, np.ndarray)
    np.testing.assert_array_equal(back, x.astype(np.float32))
