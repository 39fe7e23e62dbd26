"""The checks every layer call makes on its inputs before ``forward`` (see ``Layer``), and
the pieces that composite modules (attention, transformers, containers) reuse."""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor, is_grad_enabled
from minitorch.backend.dtypes import is_floating


def check_call_inputs(layer: Any, args: tuple) -> None:
    """Refuse, naming the layer, what PyTorch refuses: a Python list as an input, a call on
    raw arrays only (which would silently return an array with no graph: that is the explicit
    ``layer.forward(x)`` API), a first input of a dtype the layer has no kernel for, and an
    in-place layer on a leaf that requires grad. (Runs on every call: cheap checks first.)"""
    has_tensor = False
    for a in args:
        if isinstance(a, Tensor):
            has_tensor = True
        elif isinstance(a, list):
            refuse_lists(type(layer).__name__, args)
    if not has_tensor:
        if any(hasattr(a, "dtype") and hasattr(a, "shape") for a in args):
            name = type(layer).__name__
            raise TypeError(
                f"{name}: called on an array, not a Tensor; call it on minitorch.tensor(x) so "
                f"that the call is recorded for backward(), or use {name}.forward(x) for the "
                "explicit array API"
            )
        return
    x = args[0]
    if not isinstance(x, Tensor):
        return
    if layer.input_dtypes != "any" and x.array.dtype.kind != "f":
        check_input_dtype(layer, x)
    if x.requires_grad and x.is_leaf and _writes_input(layer) and is_grad_enabled():
        raise RuntimeError(
            f"{layer!r}: a leaf Tensor that requires grad (shape {tuple(x.shape)}) cannot be "
            "modified in place; use inplace=False, or call it on a copy (x.clone())"
        )


def refuse_lists(name: str, args: tuple) -> None:
    """A TypeError naming ``name`` for a Python list among ``args``, as PyTorch refuses one."""
    for i, a in enumerate(args):
        if isinstance(a, list):
            raise TypeError(
                f"{name}: expected a Tensor as input {i}, got list; wrap it with "
                "minitorch.tensor(...)"
            )


_DTYPE_KINDS = {"floating": "a floating-point", "numeric": "a floating-point or integer"}


def check_input_dtype(layer: Any, x: Tensor) -> None:
    """Refuse a first input whose dtype ``layer.input_dtypes`` excludes (see ``Layer``)."""
    kinds = layer.input_dtypes
    dtype = x.array.dtype
    if kinds == "any" or is_floating(dtype) or kinds == "numeric" and dtype.kind in "iu":
        return
    raise TypeError(
        f"{type(layer).__name__}: expected {_DTYPE_KINDS[kinds]} input, got dtype "
        f"{dtype.name}; convert it with x.float()"
    )


def _writes_input(layer: Any) -> bool:
    """Whether this call writes its result into its first input (``inplace=True``)."""
    writes = getattr(layer, "_writes_input", None)
    return writes() if writes is not None else bool(getattr(layer, "inplace", False))


def check_module_inputs(name: str, inputs: dict[str, Any], dtype: Any) -> None:
    """For a module built from matrix products (attention): each named input is a Tensor of
    the parameters' ``dtype``, as PyTorch requires (``mat1 and mat2 must have the same
    dtype``), else a TypeError naming ``name``, the argument and what it got."""
    for arg, x in inputs.items():
        if not isinstance(x, Tensor):
            hint = "; wrap it with minitorch.tensor(...)" if isinstance(x, list) else ""
            raise TypeError(f"{name}: expected {arg} to be a Tensor, got {type(x).__name__}{hint}")
        if x.dtype != dtype:
            raise TypeError(
                f"{name}: expected {arg} of dtype {dtype} (the parameters' dtype), got "
                f"{x.dtype}; convert it with .to({dtype}) or the module with .to(dtype)"
            )
