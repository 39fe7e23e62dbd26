"""Multi-class losses: ``CrossEntropyLoss`` on logits and ``NLLLoss`` on log-probabilities.

Both take class-index targets of shape (N,) / (N, d1, ...) for input (N, C) / (N, C, d1, ...), or
an unbatched input (C,) with a 0-d target; ``CrossEntropyLoss`` also takes class probabilities
of the input's shape. Per-position values are picked with one advanced index
``x[n, t[n, d...], d...]``, so nothing loops over the batch and no one-hot array is built.
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.backend.dtypes import is_floating
from minitorch.nn.losses.base import _WeightedLoss, safe_divide


class _ClassIndexLoss(_WeightedLoss):
    """Shared by NLLLoss and CrossEntropyLoss: class weights, ignore_index and target checks."""

    _takes_probabilities = False  # CrossEntropyLoss also accepts class-probability targets

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None,
                 reduction: str = "mean") -> None:  # fmt: skip
        super().__init__(weight, size_average, reduce, reduction)
        if self.weight is not None and self.weight.ndim != 1:
            raise ValueError(
                f"{type(self).__name__}: weight must be 1-D with one entry per class, got shape "
                f"{tuple(self.weight.shape)}"
            )
        self.ignore_index = int(ignore_index)

    def _check_logits(self, x: Array) -> None:
        self._check_input(x)
        if x.ndim == 0 or x.shape[0 if x.ndim == 1 else 1] == 0:
            raise ValueError(
                f"{type(self).__name__}: input must be (C,), (N, C) or (N, C, d1, ...) with "
                f"C >= 1, got shape {tuple(x.shape)}"
            )

    def _class_weight(self, x: Array) -> Array | None:
        buf = None if self.weight is None else self.weight.array
        if buf is not None and is_floating(buf.dtype) and buf.dtype != x.dtype:
            raise TypeError(  # as PyTorch ("expected scalar type Half but found Double")
                f"{type(self).__name__}: weight dtype {buf.dtype} differs from input dtype "
                f"{x.dtype}; convert the input, or the loss with .to(dtype)"
            )
        w = self._buffer_for("weight", x)
        num_classes = x.shape[1]
        if w is not None and w.shape != (num_classes,):
            raise ValueError(
                f"{type(self).__name__}: weight has {w.shape[0]} entries but the input has "
                f"{num_classes} classes (input shape {tuple(x.shape)})"
            )
        return w

    def _index_target(self, x: Array, t: Array) -> tuple:
        """Check class indices against batched ``x`` (N, C, d...); return ``(idx, valid)``.

        ``idx`` picks ``x[n, t, d...]`` (ignored positions point at class 0), ``valid`` is
        ``t != ignore_index``.
        """
        xp = get_backend(x).xp
        num_classes = x.shape[1]
        valid = t != self.ignore_index
        bad = valid & ((t < 0) | (t >= num_classes))
        if bad.any():
            value = int(t[bad][0])
            raise IndexError(
                f"{type(self).__name__}: target {value} is out of bounds; targets must be class "
                f"indices in [0, {num_classes - 1}] (or ignore_index={self.ignore_index})"
            )
        t = xp.where(valid, t, 0)
        aranges = [
            xp.arange(n).reshape((1,) * k + (n,) + (1,) * (t.ndim - k - 1))
            for k, n in enumerate(t.shape)
        ]
        return (aranges[0], t, *aranges[1:]), valid

    def _check_index_dtype_and_shape(self, x: Array, t: Array) -> None:
        want = x.shape[:1] + x.shape[2:] if x.ndim > 1 else ()
        if t.dtype.kind not in "iu" or t.shape != want:
            probs = f" or class probabilities of shape {tuple(x.shape)}"
            probs = probs if self._takes_probabilities else ""
            raise ValueError(
                f"{type(self).__name__}: for input of shape {tuple(x.shape)} the target must be "
                f"integer class indices of shape {want}{probs}; got {t.dtype} with shape "
                f"{tuple(t.shape)}"
            )

    def _weighted_count(self, x: Array, w: Array | None, idx: tuple, valid: Array) -> Array:
        """The weight of each position's target, 0 where ignored (the mean's denominator)."""
        return valid.astype(x.dtype) if w is None else w[idx[1]] * valid

    def _scale(self, dy: Array, denom: Array, shape: tuple) -> Array:
        """dLoss/d(per-position loss) for the reduction: a scalar, or dy per position."""
        if self.reduction == "mean":
            return dy / get_backend(denom).xp.where(denom != 0, denom, 1)
        if self.reduction == "sum":
            return dy
        return dy.reshape(shape)

    def extra_repr(self) -> str:
        ignore = f"ignore_index={self.ignore_index}" if self.ignore_index != -100 else ""
        return ", ".join(filter(None, [super().extra_repr(), ignore]))


class NLLLoss(_ClassIndexLoss):
    """``-weight[t] * input[n, t]`` per position, on log-probabilities; ``'mean'`` divides by the
    summed weight of the targets that are not ``ignore_index``.

    Shape: input (N, C) or (N, C, d1, ...) or (C,); target (N,) or (N, d1, ...) or () of class
    indices -> scalar, or the target's shape with ``reduction='none'``.
    """

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        self._check_logits(input)
        t = self._as_target(input, target)
        self._check_index_dtype_and_shape(input, t)
        x = input[None] if input.ndim == 1 else input
        t = t[None] if input.ndim == 1 else t
        w = self._class_weight(x)
        idx, valid = self._index_target(x, t)
        w_t = self._weighted_count(x, w, idx, valid)
        xp = get_backend(x).xp
        loss = -(w_t * xp.where(valid, x[idx], 0))  # where: an ignored -inf must not give nan
        self.save_for_backward(idx, w_t, input.shape)
        if self.reduction == "none":
            return loss.reshape(()) if input.ndim == 1 else loss
        return loss.sum() if self.reduction == "sum" else safe_divide(loss.sum(), w_t.sum())

    def backward(self, dy: Array) -> tuple:
        idx, w_t, shape = self.saved
        xp = get_backend(w_t).xp
        scale = self._scale(dy, w_t.sum(), w_t.shape)
        dx = xp.zeros((1, *shape) if len(shape) == 1 else shape, dtype=w_t.dtype)
        dx[idx] = -(w_t * scale)  # one entry per position, so no index repeats
        return dx.reshape(shape), None


class CrossEntropyLoss(_ClassIndexLoss):
    """``-sum_c q_c log softmax(input)_c`` per position, where ``q`` is the target: a class index
    (one-hot, weighted by ``weight[t]``) or class probabilities (weighted by ``weight``), mixed
    with the uniform distribution by ``label_smoothing`` as PyTorch does.

    The log-softmax subtracts the row maximum first (log-sum-exp), so logits of +-1e4 are fine,
    and backward is the fused ``softmax * sum(q) - q``, scaled: one pass, no softmax Jacobian.
    ``'mean'`` divides by the summed weight of the non-ignored targets (class indices) or by the
    number of positions (probabilities).

    Shape: input (N, C) or (N, C, d1, ...) or (C,); target (N,) or (N, d1, ...) or () of class
    indices, or probabilities of the input's shape -> scalar, or (N, d1, ...) with
    ``reduction='none'``.
    """

    _takes_probabilities = True

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:  # fmt: skip
        super().__init__(weight, size_average, ignore_index, reduce, reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError(
                f"CrossEntropyLoss: label_smoothing must be in [0, 1], got {label_smoothing}"
            )
        self.label_smoothing = float(label_smoothing)

    def forward(self, input: Array, target: Any) -> Array:  # noqa: A002
        self._check_logits(input)
        t = self._as_target(input, target)
        probs = t.shape == input.shape
        if probs and t.dtype.kind != "f":
            raise ValueError(
                f"CrossEntropyLoss: a target of the input's shape {tuple(input.shape)} holds "
                f"class probabilities and must be floating, got {t.dtype} (class indices have "
                f"shape {input.shape[:1] + input.shape[2:] if input.ndim > 1 else ()})"
            )
        if probs and self.ignore_index != -100:
            raise ValueError(
                "CrossEntropyLoss: ignore_index is not supported for class-probability targets "
                f"(got ignore_index={self.ignore_index})"
            )
        if not probs:
            self._check_index_dtype_and_shape(input, t)
        x = input[None] if input.ndim == 1 else input
        t = t[None] if input.ndim == 1 else t
        xp = get_backend(x).xp
        num_classes, eps = x.shape[1], self.label_smoothing
        w = self._class_weight(x)
        w_b = None if w is None else w.reshape((1, num_classes) + (1,) * (x.ndim - 2))

        logp = x - x.max(axis=1, keepdims=True)  # log-softmax via log-sum-exp
        p = xp.exp(logp)
        s = p.sum(axis=1, keepdims=True)
        logp -= xp.log(s)
        if self.caching:
            p /= s  # the softmax, for backward

        if probs:  # q = target (smoothed) * weight; loss = -sum_c q_c log p_c
            q = t  # a wider target dtype promotes the loss, as in PyTorch
            if eps > 0:
                q = q * (1 - eps) + eps / num_classes
            if w_b is not None:
                q = q * w_b
            loss = -(logp * q).sum(axis=1)
            self.save_for_backward(True, p, q, input.shape)
            mean = loss.sum() / loss.size if loss.size else xp.full((), float("nan"), x.dtype)
        else:  # q = (1 - eps) one-hot(t) weight[t] + (eps / C) weight, and 0 where ignored
            idx, valid = self._index_target(x, t)
            w_t = self._weighted_count(x, w, idx, valid)
            loss = -(w_t * xp.where(valid, logp[idx], 0))
            if eps > 0:
                smooth = -(logp.sum(axis=1) if w_b is None else (logp * w_b).sum(axis=1))
                loss = (1 - eps) * loss + (eps / num_classes) * xp.where(valid, smooth, 0)
            self.save_for_backward(False, p, (idx, w_t, valid, w_b), input.shape)
            mean = safe_divide(loss.sum(), w_t.sum()) if self.reduction == "mean" else None
        if self.reduction == "none":
            return loss.reshape(()) if input.ndim == 1 else loss
        return loss.sum() if self.reduction == "sum" else mean

    def backward(self, dy: Array) -> tuple:
        probs, p, q, shape = self.saved
        dx = self._probs_backward(dy, p, q) if probs else self._index_backward(dy, p, *q)
        return dx.reshape(shape), None

    def _probs_backward(self, dy: Array, p: Array, q: Array) -> Array:
        """d/dx of ``-sum_c q_c log p_c`` is ``p * sum(q) - q``, scaled per position."""
        if self.reduction == "mean":
            scale = dy / (p.size // p.shape[1])
        elif self.reduction == "sum":
            scale = dy
        else:
            scale = get_backend(p).xp.expand_dims(dy.reshape(p.shape[:1] + p.shape[2:]), 1)
        dx = p * q.sum(axis=1, keepdims=True)
        dx -= q
        dx *= scale
        return dx

    def _index_backward(self, dy: Array, p: Array, idx: tuple, w_t: Array, valid: Array,
                        w_b: Array | None) -> Array:  # fmt: skip
        """The same ``p * sum(q) - q`` with q's one-hot part subtracted through ``idx``."""
        xp = get_backend(p).xp
        eps, num_classes = self.label_smoothing, p.shape[1]
        scale = self._scale(dy, w_t.sum(), w_t.shape)
        coef = w_t * scale if eps == 0 else (1 - eps) * w_t * scale  # one-hot part of q, scaled
        if eps == 0:
            dx = p * xp.expand_dims(coef, 1)
        else:  # sum(q) = (1 - eps) w[t] + (eps / C) sum(w)
            s_valid = (eps / num_classes) * (valid * scale)
            total_w = num_classes if w_b is None else w_b.sum()
            dx = p * xp.expand_dims(coef + total_w * s_valid, 1)
            dx -= xp.expand_dims(s_valid, 1) if w_b is None else w_b * xp.expand_dims(s_valid, 1)
        dx[idx] -= coef  # one entry per position, so no index repeats
        return dx

    def extra_repr(self) -> str:
        smoothing = f"label_smoothing={self.label_smoothing}" if self.label_smoothing else ""
        return ", ".join(filter(None, [super().extra_repr(), smoothing]))
