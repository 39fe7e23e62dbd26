"""Devices: parsing ``"cpu"``, ``"cuda"``, ``"cuda:1"`` and the process-wide default device."""

from __future__ import annotations

import os

_KNOWN_TYPES = ("cpu", "cuda")


class device:  # noqa: N801  (PyTorch's spelling: ``mt.device("cuda:0")``)
    """Where arrays live: ``device("cpu")``, ``device("cuda")``, ``device("cuda", 1)``."""

    __slots__ = ("type", "index")

    def __init__(self, spec: str | device, index: int | None = None):
        if isinstance(spec, device):
            self.type, self.index = spec.type, spec.index
            return
        if not isinstance(spec, str):
            raise TypeError(f"device expects a string such as 'cpu' or 'cuda:0', got {spec!r}")
        kind, _, number = spec.strip().lower().partition(":")
        if kind not in _KNOWN_TYPES:
            raise ValueError(f"unknown device type {spec!r}; expected 'cpu', 'cuda' or 'cuda:N'")
        if number:
            if not number.isdigit():
                raise ValueError(f"device index in {spec!r} must be a non-negative integer")
            if index is not None:
                raise ValueError(f"device {spec!r} already names an index; got index={index} too")
            index = int(number)
        if kind == "cpu":
            if index not in (None, 0):
                raise ValueError(f"there is only one cpu device, got {spec!r} index={index}")
            index = None
        elif index is None:
            index = 0
        self.type, self.index = kind, index

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            try:
                other = device(other)
            except (TypeError, ValueError):
                return False
        if not isinstance(other, device):
            return NotImplemented
        return (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        return (
            f"device(type='{self.type}'"
            + ("" if self.index is None else f", index={self.index}")
            + ")"
        )


def as_device(spec: str | device | None) -> device:
    """``None`` means the default device."""
    if spec is None:
        return get_default_device()
    return spec if isinstance(spec, device) else device(spec)


_default: device | None = None


def get_default_device() -> device:
    """The device new tensors go to: set_default_device, else $MINITORCH_DEVICE, else cpu."""
    global _default
    if _default is None:
        _default = device(os.environ.get("MINITORCH_DEVICE", "cpu") or "cpu")
    return _default


def set_default_device(spec: str | device | None) -> None:
    """Make ``spec`` the device for new tensors and parameters (``None`` resets to the env/cpu)."""
    global _default
    if spec is None:
        _default = None
        return
    dev = device(spec)
    from minitorch.backend.registry import backend_for  # checks that the device exists

    backend_for(dev)
    _default = dev
