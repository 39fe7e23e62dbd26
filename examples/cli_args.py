"""Argument types the examples share: positive and non-negative numbers, device names.

Each is an argparse ``type`` that refuses a bad value with a clear message before any training
starts (``--epochs 0``, ``--lr -1``, ``--device gpu``).
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

import minitorch as mt


def positive(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type``: ``kind(text)``, refused unless > 0 (``--epochs 0``, ``--lr -1``)."""

    def parse(text: str) -> Any:
        value = kind(text)
        if not value > 0:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
        return value

    parse.__name__ = f"positive {kind.__name__}"  # argparse names it in "invalid ... value"
    return parse


def non_negative(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type``: ``kind(text)``, refused unless >= 0."""

    def parse(text: str) -> Any:
        value = kind(text)
        if not value >= 0:
            raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
        return value

    parse.__name__ = f"non-negative {kind.__name__}"
    return parse


def device_name(text: str) -> str:
    """An argparse ``type``: a device spelling minitorch understands (cpu, cuda, cuda:N)."""
    try:
        mt.device(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None
    return text
