"""A pretend second device for testing device checks on machines without a GPU."""

from __future__ import annotations

import numpy as np

from minitorch.backend import device
from minitorch.backend.numpy_backend import NumpyBackend


class OtherDeviceArray(np.ndarray):
    """A NumPy array that the fake backend claims lives on 'cuda:7'."""


class FakeCudaBackend(NumpyBackend):
    def __init__(self) -> None:
        super().__init__()
        self.device = device("cuda:7")

    def owns(self, x) -> bool:
        return isinstance(x, OtherDeviceArray)


FAKE = FakeCudaBackend()


def install(monkeypatch) -> None:
    """Make get_backend report FAKE for OtherDeviceArray everywhere the engine asks."""
    import minitorch.autograd.function as function
    import minitorch.autograd.tensor as tensor
    import minitorch.backend.registry as registry
    import minitorch.nn.layer as layer

    real = registry.get_backend

    def fake_get_backend(x):
        return FAKE if isinstance(x, OtherDeviceArray) else real(x)

    for module in (function, tensor, layer, registry):
        monkeypatch.setattr(module, "get_backend", fake_get_backend)
    # the CPU backend must not claim the fake device's arrays
    monkeypatch.setattr(
        NumpyBackend, "owns", lambda self, x: self is FAKE or not isinstance(x, OtherDeviceArray)
    )


def on_fake_device(values) -> OtherDeviceArray:
    return np.asarray(values, dtype=np.float32).view(OtherDeviceArray)
