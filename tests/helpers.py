"""Test helpers shared by every layer/loss test: the one harness the style guide asks for."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

import minitorch as mt


def to_numpy(x: Any) -> np.ndarray:
    """Host NumPy copy of a Tensor or a NumPy/CuPy array."""
    if isinstance(x, mt.Tensor):
        return np.asarray(x.detach().numpy())
    return x.get() if hasattr(x, "get") else np.asarray(x)


def copy_weights_to_torch(mt_module: mt.nn.Module, torch_module: Any) -> None:
    """Load minitorch's state dict into a torch module (same key names and shapes)."""
    import torch

    state = {k: torch.from_numpy(to_numpy(v).copy()) for k, v in mt_module.state_dict().items()}
    torch_module.load_state_dict(state)


def compare_with_torch(
    mt_module: Any,
    torch_module: Any,
    inputs: list[np.ndarray],
    device: str = "cpu",
    atol: float = 1e-10,
    grad_inputs: list[int] | None = None,
    call: Callable | None = None,
) -> None:
    """Forward, input gradients and parameter gradients of ``mt_module`` equal torch's (float64).

    ``mt_module`` may be a Module (weights copied to torch) or a plain function; ``inputs`` are
    float64/int NumPy arrays; floating inputs get gradients unless ``grad_inputs`` lists which.
    """
    import torch

    if isinstance(mt_module, mt.nn.Module):
        mt_module.double().to(device)
        torch_module.double()
        copy_weights_to_torch(mt_module, torch_module)
    floats = [i for i, x in enumerate(inputs) if x.dtype.kind == "f"]
    wanted = floats if grad_inputs is None else grad_inputs
    mt_in = [mt.tensor(x, device=device, requires_grad=i in wanted) for i, x in enumerate(inputs)]
    th_in = [torch.tensor(x, requires_grad=i in wanted) for i, x in enumerate(inputs)]
    mt_out = mt_module(*mt_in) if call is None else call(mt_module, *mt_in)
    th_out = torch_module(*th_in) if call is None else call(torch_module, *th_in)
    mt_outs = mt_out if isinstance(mt_out, tuple) else (mt_out,)
    th_outs = th_out if isinstance(th_out, tuple) else (th_out,)
    rng = np.random.default_rng(1)
    mt_loss, th_loss = 0, 0
    for a, b in zip(mt_outs, th_outs):
        np.testing.assert_allclose(to_numpy(a), b.detach().numpy(), rtol=0, atol=atol)
        w = rng.standard_normal(b.shape)
        mt_loss = mt_loss + (a * mt.tensor(w, device=device)).sum()
        th_loss = th_loss + (b * torch.tensor(w)).sum()
    mt_loss.backward()
    th_loss.backward()
    for i in wanted:
        np.testing.assert_allclose(
            to_numpy(mt_in[i].grad), th_in[i].grad.numpy(), rtol=0, atol=atol,
            err_msg=f"gradient of input {i}",
        )  # fmt: skip
    if isinstance(mt_module, mt.nn.Module):
        th_params = dict(torch_module.named_parameters())
        for name, p in mt_module.named_parameters():
            assert p.grad is not None, f"parameter {name} got no gradient"
            np.testing.assert_allclose(
                to_numpy(p.grad), th_params[name].grad.numpy(), rtol=0, atol=atol,
                err_msg=f"gradient of parameter {name}",
            )  # fmt: skip


def assert_keeps_float32(module: Any, *inputs: np.ndarray, device: str = "cpu") -> None:
    """float32 in, float32 out, and float32 gradients for inputs and parameters."""
    if isinstance(module, mt.nn.Module):
        module.float().to(device)
    args = [
        mt.tensor(
            x.astype(np.float32) if x.dtype.kind == "f" else x,
            device=device,
            requires_grad=x.dtype.kind == "f",
        )  # fmt: skip
        for x in inputs
    ]
    out = module(*args)
    outs = out if isinstance(out, tuple) else (out,)
    total = 0
    for o in outs:
        assert o.dtype == mt.float32, f"output dtype {o.dtype}"
        total = total + o.sum()
    total.backward()
    for a in args:
        if a.requires_grad:
            assert a.grad.dtype == mt.float32, f"input grad dtype {a.grad.dtype}"
    if isinstance(module, mt.nn.Module):
        for name, p in module.named_parameters():
            assert p.grad is None or p.grad.dtype == mt.float32, (
                f"{name}.grad dtype {p.grad.dtype}"
            )
