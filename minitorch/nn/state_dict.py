"""Module state dicts: the parameters and persistent buffers of a module tree by dotted name,
and loading them back (what ``Module.state_dict`` and ``Module.load_state_dict`` do)."""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from typing import TYPE_CHECKING, Any

from minitorch.autograd import Tensor
from minitorch.backend import get_backend, move

if TYPE_CHECKING:
    from minitorch.nn.module import Module

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


def state_dict_of(
    module: Module, destination: Any = None, prefix: str = "", keep_vars: bool = False
) -> dict:
    """``module.state_dict(...)``: tensors sharing the module's data (the Parameters and buffers
    themselves with ``keep_vars``), keyed ``prefix + dotted name``, added to ``destination``."""
    out = OrderedDict() if destination is None else destination
    for sub_prefix, sub in module.named_modules(prefix=prefix.rstrip(".")):
        dot = f"{sub_prefix}." if sub_prefix else ""
        for name, param in sub._parameters.items():
            if param is not None:
                out[dot + name] = param if keep_vars else Tensor(param.array)
        for name, buf in sub._buffers.items():
            if buf is not None and name not in sub._non_persistent:
                out[dot + name] = buf if keep_vars else Tensor(buf.array)
    return out


def load_state_dict_into(module: Module, state_dict: Any, strict: bool = True) -> IncompatibleKeys:
    """``module.load_state_dict(...)``: check every key and shape first, then copy each value
    into its parameter or buffer in place, in that tensor's dtype and on its device."""
    own = module.state_dict(keep_vars=True)
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    errors = []
    for key, target in own.items():
        if key not in state_dict:
            continue
        value = state_dict[key]
        shape = tuple(getattr(value, "shape", ()))
        if shape != tuple(target.shape):
            errors.append(
                f"size mismatch for {key}: copying a value of shape {shape} from the state "
                f"dict, but the parameter in the current model has shape {tuple(target.shape)}"
            )
    if strict and (missing or unexpected):
        if unexpected:
            errors.insert(
                0, "Unexpected key(s) in state_dict: " + ", ".join(map(repr, unexpected))
            )
        if missing:
            errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(map(repr, missing)))
    if errors:
        raise RuntimeError(
            f"Error(s) in loading state_dict for {type(module).__name__}:\n\t"
            + "\n\t".join(errors)
        )
    for key, target in own.items():
        if key in state_dict:
            value = state_dict[key]
            value = value.array if isinstance(value, Tensor) else value
            backend = get_backend(target.array)
            target.array[...] = move(
                backend.asarray(value) if not hasattr(value, "dtype") else value,
                backend,
                target.dtype,
            )
    return IncompatibleKeys(missing, unexpected)
