"""Shared harness for optimizer tests: one gradient sequence, minitorch and torch side by side."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

import minitorch as mt
from tests.helpers import to_numpy

SHAPES = [(3, 4), (5,), (2, 1, 3)]


def gradient_sequence(steps: int, shapes: list = SHAPES, seed: int = 0) -> tuple[list, list]:
    """Initial parameters and ``steps`` gradients per parameter (varying scale, some zeros)."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s) for s in shapes]
    grads = []
    for t in range(steps):
        scale = (0.1, 1.0, 3.0)[t % 3]
        gs = [scale * rng.standard_normal(s) for s in shapes]
        gs[0][0, 0] = 0.0  # an element whose gradient is always zero
        grads.append(gs)
    return init, grads


def make_params(init: list, dtype: Any, device: str = "cpu") -> list:
    return [mt.nn.Parameter(mt.tensor(x.astype(dtype), device=device)) for x in init]


def run_minitorch(opt: Any, params: list, grads: list, dtype: Any, device: str = "cpu") -> None:
    for gs in grads:
        for p, g in zip(params, gs):
            p.grad = None if g is None else mt.tensor(g.astype(dtype), device=device)
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
                         steps: int = 100, device: str = "cpu") -> None:  # fmt: skip
    """100 steps of both from the same start on the same gradients: parameters agree (1e-10 in
    float64, 1e-5 in float32), and the in-place update agrees with the reference form."""
    init, grads = gradient_sequence(steps)
    expected = run_torch(torch, th_cls, init, grads, dtype, **kwargs)
    atol = 1e-10 if dtype == np.float64 else 1e-5
    results = []
    for use_reference in (False, True):
        params = make_params(init, dtype, device)
        opt = mt_cls(params, **kwargs)
        if use_reference:
            opt.update = opt.reference
        run_minitorch(opt, params, grads, dtype, device)
        for p, want in zip(params, expected):
            assert p.dtype == dtype
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
