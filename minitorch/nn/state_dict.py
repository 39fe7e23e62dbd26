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
    """``module.load_state_dict(...)``, all or nothing: every key, shape and value is checked
    and converted (to each tensor's dtype and device) first; only then is anything copied in."""
    if not hasattr(state_dict, "keys") or not hasattr(state_dict, "__getitem__"):
        raise TypeError(
            f"load_state_dict of {type(module).__name__} expects a dict of tensors, got "
            f"{type(state_dict).__name__}"
        )
    own = module.state_dict(keep_vars=True)
    missing = [k for k in own if k not in state_dict]
    unexpected = [k for k in state_dict if k not in own]
    errors, staged = [], []
    for key, target in own.items():
        if key in state_dict:
            value, problem = _converted(state_dict[key], target)
            if problem:
                errors.append(problem.format(key=key))
            else:
                staged.append((target, value))
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
    for target, value in staged:
        target.array[...] = value
    return IncompatibleKeys(missing, unexpected)


def _converted(value: Any, target: Tensor) -> tuple[Any, str | None]:
    """``value`` as an array for ``target`` (its shape, dtype and device), or why it can't be."""
    backend = get_backend(target.array)
    if isinstance(value, Tensor):
        value = value.array
    elif not hasattr(value, "dtype"):
        try:
            value = backend.asarray(value)
        except (TypeError, ValueError) as error:
            return None, f"value for {{key}} is a {type(value).__name__}, not an array ({error})"
    kind = value.dtype.kind
    if kind == "O":
        return None, "value for {key} is not an array of numbers (dtype object)"
    if kind not in "biuf" or (kind != "b" and target.dtype.kind == "b"):
        return None, (
            f"dtype mismatch for {{key}}: a value of dtype {value.dtype} cannot be loaded into "
            f"a tensor of dtype {target.dtype}"
        )
    shape = tuple(getattr(value, "shape", ()))
    if shape != tuple(target.shape):
        return None, (
            f"size mismatch for {{key}}: copying a value of shape {shape} from the state dict, "
            f"but the parameter in the current model has shape {tuple(target.shape)}"
        )
    return move(value, backend, target.dtype), None
