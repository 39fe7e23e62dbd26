"""Shared harness for optimizer tests: one gradient sequence, minitorch and torch side by side."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

import minitorch as mt
from tests.helpers import to_numpy

SHAPES = [(3, 4), (5,), (2, 1, 3)]
LAYOUTS = ("contiguous", "strided", "backward")


def gradient_sequence(steps: int, shapes: list = SHAPES, seed: int = 0) -> tuple[list, list]:
    """Initial parameters and ``steps`` gradients per parameter (varying scale, some zeros)."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s) for s in shapes]
    grads = []
    for t in range(steps):
        scale = (0.1, 1.0, 3.0)[t % 3]
        gs = [scale * rng.standard_normal(s) for s in shapes]
        if gs[0].size:
            gs[0].flat[0] = 0.0  # an element whose gradient is always zero
        grads.append(gs)
    return init, grads


def _strided(x: np.ndarray, dtype: Any, device: str) -> mt.Tensor:
    """A tensor holding ``x`` as a non-contiguous view (every other element of a buffer)."""
    buffer = np.zeros(x.shape + (2,), dtype=dtype)
    buffer[..., 0] = x
    t = mt.tensor(buffer, device=device)
    t.array = t.array[..., 0]
    assert x.size <= 1 or not t.array.flags.c_contiguous
    return t


def make_params(init: list, dtype: Any, device: str = "cpu", layout: str = "contiguous") -> list:
    """Parameters holding ``init``; ``layout="strided"`` makes them non-contiguous views."""
    if layout == "strided":
        params = [mt.nn.Parameter(mt.tensor(x.astype(dtype), device=device)) for x in init]
        for p, x in zip(params, init):
            p.array = _strided(x, dtype, device).array
        return params
    return [mt.nn.Parameter(mt.tensor(x.astype(dtype), device=device)) for x in init]


def run_minitorch(opt: Any, params: list, grads: list, dtype: Any, device: str = "cpu",
                  layout: str = "contiguous") -> None:  # fmt: skip
    """Step ``opt`` through ``grads``: assigned as tensors, as non-contiguous views
    (``"strided"``), or made by ``backward()`` of ``sum(p * g)`` (``"backward"``, where a 0-d
    gradient arrives as the NumPy scalar that NumPy's 0-d arithmetic returns)."""
    for gs in grads:
        opt.zero_grad()
        for p, g in zip(params, gs):
            if g is None:
                continue
            if layout == "backward":
                (p * mt.tensor(g.astype(dtype), device=device)).sum().backward()
            elif layout == "strided":
                p.grad = _strided(g, dtype, device)
            else:
                p.grad = mt.tensor(g.astype(dtype), device=device)
        opt.step()


def run_torch(torch: Any, cls: Any, init: list, grads: list, dtype: Any, groups: Any = None,
              **kwargs: Any) -> list:  # fmt: skip
    params = [torch.tensor(x.astype(dtype), requires_grad=True) for x in init]
    opt = cls(params if groups is None else groups(params), **kwargs)
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = None if g is None else torch.tensor(g.astype(dtype))
        opt.step()
    return [p.detach().numpy() for p in params]


def assert_matches_torch(torch: Any, mt_cls: Any, th_cls: Any, kwargs: dict, dtype: Any,
                         steps: int = 100, device: str = "cpu", shapes: list = SHAPES,
                         layout: str = "contiguous") -> None:  # fmt: skip
    """``steps`` steps of both from the same start on the same gradients: parameters agree
    (1e-10 in float64, 1e-5 in float32), and the in-place update agrees with the reference
    form."""
    init, grads = gradient_sequence(steps, shapes)
    expected = run_torch(torch, th_cls, init, grads, dtype, **kwargs)
    atol = 1e-10 if dtype == np.float64 else 1e-5
    results = []
    for use_reference in (False, True):
        params = make_params(init, dtype, device, layout)
        opt = mt_cls(params, **kwargs)
        if use_reference:
            opt.update = opt.reference
        run_minitorch(opt, params, grads, dtype, device, layout)
        for p, want in zip(params, expected):
            assert p.dtype == dtype and p.shape == want.shape
            np.testing.assert_allclose(to_numpy(p), want, rtol=0, atol=atol, err_msg=str(kwargs))
        for state in opt.state.values():
            for v in state.values():
                assert not hasattr(v, "dtype") or v.dtype == dtype, f"state dtype {v.dtype}"
        results.append([to_numpy(p) for p in params])
    for fast, ref in zip(*results):
        tol = 1e-12 if dtype == np.float64 else 2e-6
        np.testing.assert_allclose(fast, ref, rtol=tol, atol=tol, err_msg="in-place vs reference")


def snapshot(state_dict: dict) -> dict:
    """A deep copy of an optimizer state dict (its arrays are shared with the optimizer)."""
    return {
        "state": {
            i: {k: to_numpy(v).copy() if isinstance(v, mt.Tensor) else v for k, v in s.items()}
            for i, s in state_dict["state"].items()
        },
        "param_groups": copy.deepcopy(state_dict["param_groups"]),
    }


def assert_state_like_torch(torch: Any, mt_cls: Any, th_cls: Any, kwargs: dict,
                            steps: int = 10) -> None:  # fmt: skip
    """After ``steps`` float64 steps, ``state_dict()`` has torch's per-parameter keys and values
    (numbers equal, arrays to 1e-10) and torch's group options (bar its foreach/capturable/
    differentiable/fused switches, which minitorch does not take)."""
    init, grads = gradient_sequence(steps)
    params = make_params(init, np.float64)
    opt = mt_cls(params, **kwargs)
    run_minitorch(opt, params, grads, np.float64)
    tparams = [torch.tensor(x, requires_grad=True) for x in init]
    th = th_cls(tparams, **kwargs)
    for gs in grads:
        for p, g in zip(tparams, gs):
            p.grad = torch.tensor(g)
        th.step()
    ours, theirs = opt.state_dict(), th.state_dict()
    assert set(ours["state"]) == set(theirs["state"])
    for i, state in theirs["state"].items():
        assert set(ours["state"][i]) == set(state)
        for key, want in state.items():
            got = ours["state"][i][key]
            if want.ndim == 0:
                assert not isinstance(got, mt.Tensor) and got == want.item(), key
            else:
                np.testing.assert_allclose(to_numpy(got), want.numpy(), rtol=0, atol=1e-10)
    switches = {"foreach", "capturable", "differentiable", "fused"}
    for g, h in zip(ours["param_groups"], theirs["param_groups"]):
        assert set(g) == set(h) - switches
        assert {k: g[k] for k in g if k != "params"} == {
            k: (tuple(v) if isinstance(v, list) else v) for k, v in h.items()
            if k in g and k != "params"
        }  # fmt: skip
