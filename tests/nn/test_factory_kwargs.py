"""``device=`` and ``dtype=``: every public Module that creates parameters or buffers takes
them (as PyTorch; ``test_signatures.py`` checks the names against PyTorch's) and creates its
floating parameters and buffers with that dtype on that device. The losses' ``weight`` buffers
are given tensors, so they take neither, as in PyTorch. The constructor arguments come from
the catalogue: each class's first row with state."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.nn.catalogue import ROWS


def _state(module):
    return list(module.named_parameters()) + list(module.named_buffers())


def _rows_with_state() -> dict:
    rows = {}
    for row in ROWS:
        cls = getattr(nn, row.cls)
        if (
            row.make is None
            and row.cls not in rows
            and "dtype" in inspect.signature(cls).parameters
        ):
            if _state(cls(*row.args, **row.kwargs)):
                rows[row.cls] = row
    return rows


ROWS_WITH_STATE = _rows_with_state()


def test_the_stateful_classes_are_found():
    assert {"Linear", "Conv1d", "Conv2d", "ConvTranspose2d", "BatchNorm1d", "BatchNorm2d",
            "LayerNorm", "GroupNorm", "Embedding", "PReLU", "InstanceNorm1d", "InstanceNorm2d",
            "RNN", "LSTM", "GRU", "MultiheadAttention"} <= set(ROWS_WITH_STATE)  # fmt: skip


@pytest.mark.parametrize("name", sorted(ROWS_WITH_STATE))
def test_modules_with_state_take_device_and_dtype(name, device):
    row, cls = ROWS_WITH_STATE[name], getattr(nn, name)
    assert "device" in inspect.signature(cls).parameters
    module = cls(*row.args, **row.kwargs, device=device, dtype=mt.float64)
    for pname, tensor in _state(module):
        assert str(tensor.device).startswith(device), pname
        if np.dtype(tensor.dtype).kind == "f":
            assert tensor.dtype == mt.float64, pname
    default = cls(*row.args, **row.kwargs)
    assert [n for n, _ in _state(module)] == [n for n, _ in _state(default)]
