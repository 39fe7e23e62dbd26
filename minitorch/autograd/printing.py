"""``repr(tensor)`` as PyTorch prints it, and ``set_printoptions``.

The rules are PyTorch's (``torch/_tensor_str.py``): one formatter per tensor picks integer mode
(every finite value whole: ``1.``), fixed point with ``precision`` decimals, or scientific
notation when the finite non-zero magnitudes span more than 1000x, exceed 1e8, or go below
1e-4 (``sci_mode`` overrides the choice); every element is right-aligned to the widest; rows
wrap at ``linewidth``; tensors of more than ``threshold`` elements show ``edgeitems`` per end
of each dimension.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.backend import dtypes, get_backend, numpy_backend


class _Options:
    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode: bool | None = None


options = _Options()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(
    precision: int | None = None, threshold: float | None = None, edgeitems: int | None = None,
    linewidth: int | None = None, profile: str | None = None, sci_mode: bool | None = None,
) -> None:  # fmt: skip
    """Printing options for tensors, as ``torch.set_printoptions``: ``precision`` digits after
    the point (4), ``threshold`` elements before summarising (1000), ``edgeitems`` shown at each
    end when summarising (3), ``linewidth`` characters per line (80), ``profile`` ``"default"``,
    ``"short"`` or ``"full"``, ``sci_mode`` True/False to force scientific notation on or off
    (None: decide per tensor)."""
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(
                f"set_printoptions: unknown profile {profile!r}; use {list(_PROFILES)}"
            )
        for name, value in _PROFILES[profile].items():
            setattr(options, name, value)
    for name, value in (("precision", precision), ("threshold", threshold),
                        ("edgeitems", edgeitems), ("linewidth", linewidth)):  # fmt: skip
        if value is not None:
            setattr(options, name, value)
    options.sci_mode = sci_mode


class _Formatter:
    """How to print every element of one tensor (``values``: a flat host array)."""

    def __init__(self, values: Any, floating: bool) -> None:
        self.floating = floating
        self.int_mode, self.sci_mode, self.max_width = True, False, 1
        p = options.precision
        if not floating:
            for v in values.tolist():
                self.max_width = max(self.max_width, len(str(v)))
        else:
            finite = values[numpy_backend().xp.isfinite(values) & (values != 0)]
            if finite.size:
                magnitudes = abs(finite.astype("float64"))
                low, high = float(magnitudes.min()), float(magnitudes.max())
                self.int_mode = bool((finite == finite.round()).all())  # PyTorch: value == ceil
                sci = high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4
                self.sci_mode = sci if options.sci_mode is None else options.sci_mode
                if self.sci_mode:
                    fmt, extra = f"{{:.{p}e}}", 0
                elif self.int_mode:
                    fmt, extra = "{:.0f}", 1  # and the "." that marks a whole float
                else:
                    fmt, extra = f"{{:.{p}f}}", 0
                for v in finite.tolist():
                    self.max_width = max(self.max_width, len(fmt.format(v)) + extra)

    def format(self, value: Any) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{options.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                text += "."
        else:
            text = f"{value:.{options.precision}f}"
        return " " * (self.max_width - len(text)) + text


def _summarized(x: Any) -> Any:
    """The elements that a summarised print shows (to size the formatter from)."""
    xp, e = numpy_backend().xp, options.edgeitems
    if x.ndim == 0:
        return x
    if x.ndim == 1:
        return xp.concatenate((x[:e], x[-e:])) if x.shape[0] > 2 * e else x
    rows = [x[i] for i in range(e)] + [x[i] for i in range(len(x) - e, len(x))]
    rows = rows if x.shape[0] > 2 * e else list(x)
    return xp.stack([_summarized(r) for r in rows])


def _vector(x: Any, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, int(math.floor((options.linewidth - indent) / (fmt.max_width + 2))))
    e = options.edgeitems
    if summarize and x.shape[0] > 2 * e:
        data = (
            [fmt.format(v) for v in x[:e].tolist()]
            + [" ..."]
            + [fmt.format(v) for v in x[-e:].tolist()]
        )
    else:
        data = [fmt.format(v) for v in x.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(x: Any, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if x.ndim == 0:
        return fmt.format(x.item())
    if x.ndim == 1:
        return _vector(x, indent, summarize, fmt)
    e = options.edgeitems
    if summarize and x.shape[0] > 2 * e:
        parts = [_nested(x[i], indent + 1, summarize, fmt) for i in range(e)] + ["..."]
        parts += [_nested(x[i], indent + 1, summarize, fmt) for i in range(len(x) - e, len(x))]
    else:
        parts = [_nested(x[i], indent + 1, summarize, fmt) for i in range(x.shape[0])]
    return "[" + ("," + "\n" * (x.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def array_str(x: Any, indent: int) -> str:
    """The bracketed values of host array ``x`` as PyTorch prints them at ``indent``."""
    if x.size == 0:
        return "[]"
    floating = dtypes.is_floating(x.dtype)
    if floating and x.dtype.itemsize < 4:  # float16 / bfloat16 print through float32
        x = x.astype("float32")
    summarize = x.size > options.threshold
    fmt = _Formatter((_summarized(x) if summarize else x).reshape(-1), floating)
    return _nested(x, indent, summarize, fmt)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    parts = [text]
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > options.linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def tensor_repr(t: Any) -> str:
    """``tensor([1., 2.], requires_grad=True)``: values, then the device when not the CPU, a
    dtype other than the default float, int64 and bool, and the gradient function."""
    prefix = "tensor("
    indent = len(prefix)
    array = t.array
    device = get_backend(array).device
    suffixes = []
    if device.type != "cpu":
        suffixes.append(f"device='{device}'")
    default = array.dtype in (dtypes.get_default_dtype(), dtypes.int64, dtypes.bool)
    if array.size == 0:
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if array.dtype != dtypes.get_default_dtype():
            suffixes.append(f"dtype={array.dtype}")
        body = "[]"
    else:
        if not default:
            suffixes.append(f"dtype={array.dtype}")
        body = array_str(get_backend(array).to_host(array), indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
