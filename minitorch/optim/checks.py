"""Argument checks shared by the optimizers' ``_validate`` (PyTorch's conditions, with messages
that name the optimizer, the argument, what it must be and what arrived)."""

from __future__ import annotations

from typing import Any


def check_nonnegative(name: str, label: str, value: float) -> None:
    """``value >= 0`` or ``ValueError("Adam: invalid epsilon value -1 (must be >= 0)")``."""
    if not value >= 0:
        raise ValueError(f"{name}: invalid {label} {value} (must be >= 0)")


def check_betas(name: str, betas: Any) -> None:
    """``betas`` is a pair ``(beta1, beta2)``, each in ``[0, 1)``."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"{name}: betas must be a pair (beta1, beta2), got {betas!r}")
    for i, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(
                f"{name}: invalid beta parameter at index {i}: {beta} (must be in [0, 1))"
            )


def _kind(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return type(value).__name__
    if isinstance(value, (int, float)) or (hasattr(value, "dtype") and value.ndim == 0):
        return "number"
    if isinstance(value, (tuple, list)):
        return f"sequence of {len(value)}: " + ", ".join(map(_kind, value))
    return type(value).__name__


def check_loaded_group(name: str, index: int, current: dict, saved: dict) -> None:
    """Each hyper-parameter of a loaded param group has the kind the optimizer's own has
    (a number stays a number: ``lr="fast"`` is refused before anything changes)."""
    for key, value in saved.items():
        if key == "params" or key not in current:
            continue
        want, got = _kind(current[key]), _kind(value)
        if want != got and current[key] is not None:
            raise ValueError(
                f"{name}.load_state_dict: param group {index} option {key!r} must be a "
                f"{want} like the optimizer's ({current[key]!r}), got {value!r}"
            )


def check_loaded_state(name: str, key: Any, shape: tuple, values: Any) -> None:
    """A parameter's loaded state: arrays of the parameter's shape (or 0-d), numbers, lists."""
    if not isinstance(values, dict):
        raise ValueError(
            f"{name}.load_state_dict: state of parameter {key} must be a dict, got "
            f"{type(values).__name__}"
        )
    for field, value in values.items():
        value_shape = getattr(value, "shape", None)
        if value_shape is not None:
            if tuple(value_shape) not in ((), tuple(shape)):
                raise ValueError(
                    f"{name}.load_state_dict: state {field!r} of parameter {key} has shape "
                    f"{tuple(value_shape)}, but the parameter has shape {tuple(shape)}"
                )
            if getattr(value, "dtype", None) is not None and value.dtype.kind not in "biuf":
                raise ValueError(
                    f"{name}.load_state_dict: state {field!r} of parameter {key} has dtype "
                    f"{value.dtype}, expected numbers"
                )
        elif not isinstance(value, (int, float, list, tuple)) and value is not None:
            raise ValueError(
                f"{name}.load_state_dict: state {field!r} of parameter {key} is a "
                f"{type(value).__name__}, expected an array or a number"
            )
