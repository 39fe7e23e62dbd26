"""``summary(model, input_size=...)``: torchinfo's table of a model's modules and parameters.

    >>> print(mt.summary(model, input_size=(32, 1, 8, 8)))
    =========================================================================
    Layer (type)                          Output Shape                Param #
    =========================================================================
    Sequential                            [32, 10]                         --
      0 (Conv2d)                          [32, 8, 8, 8]                    80
      1 (Flatten)                         [32, 512]                        --
    ...
    Total params: 5,210

One row per module (its dotted path, indented by depth, and type), the output shape of its
first call in one forward pass (run under ``no_grad`` in eval mode, through forward hooks that
are removed afterwards), and its parameter count; then the totals (a parameter shared by two
modules counts once) and a memory estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from minitorch.autograd import Tensor, no_grad
from minitorch.autograd.factory import rand, zeros
from minitorch.backend import get_rng_state, set_rng_state
from minitorch.backend.dtypes import as_dtype, is_floating

__all__ = ["LayerRow", "ModelSummary", "summary"]

_MB = 1e6  # torchinfo reports decimal megabytes


@dataclass
class LayerRow:
    """One module's row: where it sits, what it returned, what it owns."""

    name: str  # dotted path ("" for the model itself)
    type_name: str
    depth: int
    output_shape: list | None  # shapes of the first call's output Tensors; None if not called
    num_params: int  # own parameters, or the whole subtree's when its children are hidden
    calls: int = 0


class ModelSummary:
    """What ``summary`` returns: ``str()`` is the table; the totals are attributes.

    ``total_params``, ``trainable_params``, ``non_trainable_params`` (each parameter once),
    ``total_mult_adds`` (Linear and convolution layers), ``param_bytes``, ``input_bytes``,
    ``output_bytes`` (leaf modules' outputs, counted twice for the backward pass, as torchinfo
    does), and ``rows`` (a ``LayerRow`` per module shown).
    """

    def __init__(self, rows: list[LayerRow], params: list[Tensor], mult_adds: int,
                 input_bytes: int, output_bytes: int) -> None:  # fmt: skip
        self.rows = rows
        self.total_params = sum(p.numel() for p in params)
        self.trainable_params = sum(p.numel() for p in params if p.requires_grad)
        self.non_trainable_params = self.total_params - self.trainable_params
        self.param_bytes = sum(p.array.nbytes for p in params)
        self.total_mult_adds = mult_adds
        self.input_bytes, self.output_bytes = input_bytes, output_bytes

    def __str__(self) -> str:
        cells = [(("  " * r.depth) + (f"{r.name} ({r.type_name})" if r.name else r.type_name),
                  _shape_text(r), f"{r.num_params:,}" if r.num_params else "--")
                 for r in self.rows]  # fmt: skip
        widths = [max(len(c[i]) for c in [("Layer (type)", "Output Shape", "Param #"), *cells])
                  for i in range(3)]  # fmt: skip
        widths = [max(widths[0], 36), max(widths[1], 24), max(widths[2], 9)]
        rule = "=" * (sum(widths) + 4)

        def line(a: str, b: str, c: str) -> str:
            return f"{a:<{widths[0]}}  {b:<{widths[1]}}  {c:>{widths[2]}}"

        total_mb = (self.input_bytes + self.output_bytes + self.param_bytes) / _MB
        return "\n".join([
            rule, line("Layer (type)", "Output Shape", "Param #"), rule,
            *(line(*c) for c in cells), rule,
            f"Total params: {self.total_params:,}",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.non_trainable_params:,}",
            f"Total mult-adds (M): {self.total_mult_adds / 1e6:.2f}", rule,
            f"Input size (MB): {self.input_bytes / _MB:.2f}",
            f"Forward/backward pass size (MB): {self.output_bytes / _MB:.2f}",
            f"Params size (MB): {self.param_bytes / _MB:.2f}",
            f"Estimated Total Size (MB): {total_mb:.2f}", rule,
        ])  # fmt: skip

    __repr__ = __str__


def _shape_text(row: LayerRow) -> str:
    if row.output_shape is None:
        return "--"
    text = ", ".join(str(s) for s in row.output_shape) or "--"
    return text if row.calls <= 1 else f"{text} (x{row.calls} calls)"


def _tensors(value: Any) -> list[Tensor]:
    """The Tensors in an output: a Tensor, or nested tuples/lists/dicts of them."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in _tensors(v)]
    return []


def _inputs(input_size: Any, input_data: Any, dtypes: Any, device: Any) -> tuple[tuple, dict]:
    """Positional and keyword arguments of the forward pass."""
    if input_data is not None:
        if input_size is not None:
            raise ValueError("summary: pass input_size or input_data, not both")
        if isinstance(input_data, dict):
            return (), dict(input_data)
        args = tuple(input_data) if isinstance(input_data, (list, tuple)) else (input_data,)
        return tuple(a.to(device) if device is not None and isinstance(a, Tensor) else a
                     for a in args), {}  # fmt: skip
    sizes = input_size
    if isinstance(sizes, (tuple, list)) and all(isinstance(s, int) for s in sizes):
        sizes = [sizes]  # one input
    if not (isinstance(sizes, (tuple, list)) and sizes
            and all(isinstance(s, (tuple, list)) for s in sizes)):  # fmt: skip
        raise TypeError(f"summary: input_size must be a shape like (32, 3, 28, 28) or a list "
                        f"of shapes, got {input_size!r}")  # fmt: skip
    dtypes = list(dtypes) if dtypes is not None else [None] * len(sizes)
    if len(dtypes) != len(sizes):
        raise ValueError(f"summary: {len(sizes)} input size(s) but {len(dtypes)} dtype(s)")
    args = []
    for size, dtype in zip(sizes, dtypes):
        dtype = as_dtype(dtype)
        if dtype is None or is_floating(dtype):
            args.append(rand(*size, dtype=dtype, device=device))
        else:  # integer inputs (indices): zeros are valid for any embedding
            args.append(zeros(*size, dtype=dtype, device=device))
    return tuple(args), {}


def _mult_adds(module: Any, output: list[Tensor], calls: int) -> int:
    """Parameters times the positions they are applied at, for Linear and convolutions."""
    own = sum(p.numel() for p in module.parameters(recurse=False))
    if not output or own == 0:
        return 0
    shape = output[0].shape
    if hasattr(module, "in_features") and hasattr(module, "out_features") and shape:
        return calls * own * (output[0].numel() // shape[-1])
    if hasattr(module, "in_channels") and hasattr(module, "kernel_size") and len(shape) > 1:
        return calls * own * (output[0].numel() // shape[1])
    return 0


def summary(model: Any, input_size: Any = None, input_data: Any = None, depth: int = 3,
            dtypes: Any = None, device: Any = None) -> ModelSummary:  # fmt: skip
    """A torchinfo-style summary of ``model``; ``print`` it for the table.

    Args:
        input_size: the input's shape with the batch dimension, e.g. ``(32, 1, 28, 28)``, or a
            list of shapes for several inputs; filled with ``mt.rand`` (zeros for integer
            ``dtypes``) without disturbing the global random state.
        input_data: the inputs themselves instead (a Tensor, a list of them, or a dict of
            keyword arguments). With neither, only parameters are listed.
        depth: deepest level of nesting shown (the model is 0); hidden modules' parameters
            count in the row of their shown ancestor.
        dtypes: one dtype per input of ``input_size`` (default float32).
        device: where the inputs are made; the model is moved there too, as torchinfo does
            (``None``: the device of the model's first parameter, and no move).
    """
    if not isinstance(depth, int) or depth < 0:
        raise ValueError(f"summary: depth must be an integer >= 0, got {depth!r}")
    if device is not None:
        model.to(device)
    else:
        first = next(iter(model.parameters()), None)
        device = None if first is None else first.device
    named = list(model.named_modules())
    outputs: dict[int, list] = {}
    calls: dict[int, int] = {}
    input_bytes = output_bytes = 0
    if input_size is not None or input_data is not None:
        rng = get_rng_state()
        try:
            args, kwargs = _inputs(input_size, input_data, dtypes, device)
        finally:
            set_rng_state(rng)
        input_bytes = sum(t.array.nbytes for t in _tensors([*args, *kwargs.values()]))
        leaves = {id(m) for _, m in named if not any(True for _ in m.children())}

        def hook(module: Any, _args: Any, output: Any) -> None:
            nonlocal output_bytes
            key = id(module)
            calls[key] = calls.get(key, 0) + 1
            tensors = _tensors(output)
            outputs.setdefault(key, tensors)
            if key in leaves:
                output_bytes += 2 * sum(t.array.nbytes for t in tensors)

        training = {id(m): m.training for _, m in named}
        handles = [m.register_forward_hook(hook) for _, m in named]
        try:
            model.eval()
            with no_grad():
                model(*args, **kwargs)
        finally:
            for handle in handles:
                handle.remove()
            for _, m in named:
                m.train(training[id(m)])
    rows = []
    for name, module in named:
        level = 0 if not name else name.count(".") + 1
        if level > depth:
            continue
        hidden = level == depth and any(True for _ in module.children())
        own = sum(p.numel() for p in module.parameters(recurse=hidden))
        out = outputs.get(id(module))
        rows.append(LayerRow(name, type(module).__name__, level,
                             None if out is None else [list(t.shape) for t in out], own,
                             calls.get(id(module), 0)))  # fmt: skip
    mult_adds = sum(_mult_adds(m, outputs.get(id(m), []), calls.get(id(m), 0)) for _, m in named)
    return ModelSummary(rows, list(model.parameters()), mult_adds, input_bytes, output_bytes)
