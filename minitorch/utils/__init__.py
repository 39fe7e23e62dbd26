"""Utilities around training: gradient checking (serialization and progress arrive later)."""

from minitorch.utils.gradcheck import GradcheckError, gradcheck

__all__ = ["GradcheckError", "gradcheck"]
