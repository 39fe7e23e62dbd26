"""Export a model, run the file with onnxruntime, compare with minitorch's own outputs."""

from __future__ import annotations

import io

import numpy as np
import pytest

import minitorch as mt


def session(model, args, **kwargs):
    """An onnxruntime session of ``model`` exported on ``args`` (keyword arguments: export's)."""
    ort = pytest.importorskip("onnxruntime")
    from minitorch import onnx as mt_onnx

    buf = io.BytesIO()
    mt_onnx.export(model, args, buf, **kwargs)
    return ort.InferenceSession(buf.getvalue(), providers=["CPUExecutionProvider"])


def outputs_of(model, arrays):
    """minitorch's outputs (flattened, as NumPy) of ``model`` on ``arrays``, in eval mode."""
    with mt.no_grad():
        out = model(*[mt.tensor(a) for a in arrays])
    flat, stack = [], [out]
    while stack:
        item = stack.pop(0)
        if isinstance(item, (tuple, list)):
            stack[:0] = [i for i in item if i is not None]
        else:
            flat.append(item.numpy())
    return flat


def assert_matches(model, make_inputs, batches=(3,), atol=1e-5, **kwargs):
    """Export ``model`` traced on ``make_inputs(batches[0])`` and check onnxruntime's outputs
    against minitorch's at every batch size in ``batches`` (several: a dynamic batch axis)."""
    model.eval()
    first = make_inputs(batches[0])
    names = kwargs.pop("input_names", [f"in{i}" for i in range(len(first))])
    sess = session(model, tuple(mt.tensor(a) for a in first), input_names=names, **kwargs)
    # other values at the traced shape too: a value baked into the graph would show
    shifted = [0.25 - 1.5 * a if a.dtype.kind == "f" else a for a in make_inputs(batches[0])]
    for arrays in [*(make_inputs(n) for n in batches), shifted]:
        got = sess.run(None, dict(zip(names, arrays)))
        want = outputs_of(model, arrays)
        assert len(got) == len(want)
        for g, w in zip(got, want):
            assert g.shape == w.shape, (g.shape, w.shape)
            assert g.dtype == w.dtype, (g.dtype, w.dtype)
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=atol)
    return sess


def randn(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
