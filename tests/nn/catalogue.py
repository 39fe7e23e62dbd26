"""The layer catalogue: one row per configuration of every public Module in ``minitorch.nn``.

This file is data. ``tests/nn/test_catalogue.py`` runs every check (gradcheck, PyTorch parity,
float32, explicit forward/backward, weight sharing, repr, state dict, bad input) on every row;
a row says how to build the module, what it is fed and where it is special, so the checks
need no per-layer code. Like PyTorch's ``module_db`` and Chainer's ``FunctionTestCase``.

A row's module is built for a library ``lib`` (minitorch or torch: ``lib.nn``, ``lib.tensor``)
as ``lib.nn.<cls>(*args, **kwargs)``, NumPy arrays in ``kwargs`` becoming ``lib.tensor``s; or
by ``make(lib)`` for compositions. Shapes are small: the whole harness runs in seconds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import numpy as np


@dataclass(frozen=True)
class Input:
    """How to make one input: a float array (N(0, scale), or U(low, high)), class indices in
    [low, high), or a fixed array (masks are fixed: a random one may mask a whole row).

    ``perm`` feeds a non-contiguous view: a contiguous array is made and permuted by ``perm``
    into ``shape`` (the gradient then flows back to that contiguous leaf).
    """

    shape: tuple
    kind: str = "float"  # "float" | "int" | "fixed"
    low: float | None = None
    high: float | None = None
    scale: float = 1.0
    grad: bool = True  # floats only: differentiate this input (targets say False)
    value: Any = None  # kind "fixed"
    perm: tuple | None = None

    @property
    def base_shape(self) -> tuple:
        """The shape of the contiguous leaf (``shape`` before ``perm``)."""
        if self.perm is None:
            return self.shape
        base = [0] * len(self.shape)
        for i, axis in enumerate(self.perm):
            base[axis] = self.shape[i]
        return tuple(base)

    @property
    def needs_grad(self) -> bool:
        return self.grad and self.kind in ("float", "fixed") and self.sample_dtype.kind == "f"

    @property
    def sample_dtype(self) -> np.dtype:
        if self.kind == "fixed":
            return np.asarray(self.value).dtype
        return np.dtype(np.float64 if self.kind == "float" else np.int64)

    def sample(self, rng: np.random.Generator) -> np.ndarray:
        """The contiguous leaf array (float64 for floats)."""
        shape = self.base_shape
        if self.kind == "fixed":
            return np.array(self.value)
        if self.kind == "int":
            return rng.integers(self.low, self.high, size=shape).astype(np.int64)
        if self.low is not None:
            return rng.uniform(self.low, self.high, size=shape)
        return rng.standard_normal(shape) * self.scale


def floats(*shape: int, scale: float = 1.0, low: float | None = None, high: float | None = None,
           grad: bool = True, perm: tuple | None = None) -> Input:  # fmt: skip
    return Input(tuple(shape), "float", low, high, scale, grad, perm=perm)


def ints(*shape: int, high: int, low: int = 0) -> Input:
    return Input(tuple(shape), "int", low, high, grad=False)


def fixed(value: Any, grad: bool = False) -> Input:
    value = np.asarray(value)
    return Input(value.shape, "fixed", grad=grad, value=value)


@dataclass(frozen=True)
class Bad:
    """Inputs that must raise ``exc`` with a message matching ``match`` (which names the layer)."""

    inputs: tuple
    exc: type
    match: str
    names: str = ""  # the class the message must name, when not the row's (a failing child)


@dataclass(frozen=True)
class Row:
    """One configuration of one public Module class ``cls``, and what is special about it."""

    id: str
    cls: str
    args: tuple = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    inputs: tuple = ()
    make: Callable | None = None  # make(lib) -> module, for compositions
    call: Callable | None = None  # call(module, *inputs) when not module(*inputs); nested tuple
    # outputs are flattened and the floating ones compared (so LSTM's (y, (h, c)) needs none)
    state: Mapping[str, np.ndarray] = field(default_factory=dict)  # loaded after construction
    eval: bool = False  # run in eval mode
    random: bool = False  # output depends on the RNG: no value parity with torch
    explicit: bool = True  # supports layer.forward(*arrays) / layer.backward(dy) (Layers do)
    torch_repr_edits: tuple = ()  # (regex, replacement) for torch's repr: deliberate differences
    repr_reason: str = ""  # why minitorch's repr deliberately differs (with torch_repr_edits)
    bad: Bad | None = None
    rtol: float = 1e-10  # float64 comparisons with torch
    atol: float = 1e-10
    gradcheck: Mapping[str, Any] = field(default_factory=dict)  # keyword overrides
    skip: Mapping[str, str] = field(default_factory=dict)  # check -> why it does not apply
    xfail: Mapping[str, str] = field(default_factory=dict)  # check -> the known library bug


# Public names that are Modules but get no row, and why.
EXEMPT = {
    "Module": "base class: every row exercises it",
    "Layer": "base class of the layers: every Layer row exercises it (explicit check)",
    "ModuleList": "container without a forward; covered by tests/nn/test_module.py",
    "ModuleDict": "container without a forward; covered by tests/nn/test_module.py",
    "ParameterList": "container without a forward; see tests/nn/test_parameter_containers.py",
    "ParameterDict": "container without a forward; see tests/nn/test_parameter_containers.py",
}

# Catalogued classes with no bad-input row, and why.
NO_BAD_INPUT = {
    "Identity": "accepts anything, as torch.nn.Identity",
    "ReLU": "elementwise on any array; a non-tensor input raises the backend's TypeError, which "
    "does not name the layer",
    "LeakyReLU": "elementwise on any array (see ReLU)",
    "ELU": "elementwise on any array (see ReLU)",
    "GELU": "elementwise on any array (see ReLU)",
    "SiLU": "elementwise on any array (see ReLU)",
    "Softplus": "elementwise on any array (see ReLU)",
    "Sigmoid": "elementwise on any array (see ReLU)",
    "Tanh": "elementwise on any array (see ReLU)",
    "Dropout": "elementwise on any array; a non-tensor input raises a raw AttributeError",
    "Hardtanh": "elementwise on any array (see ReLU)",
    "ReLU6": "elementwise on any array (see ReLU)",
    "Hardsigmoid": "elementwise on any array (see ReLU)",
    "Hardswish": "elementwise on any array (see ReLU)",
    "Mish": "elementwise on any array (see ReLU)",
    "Softsign": "elementwise on any array (see ReLU)",
    "Tanhshrink": "elementwise on any array (see ReLU)",
    "LogSigmoid": "elementwise on any array (see ReLU)",
}

# Why some checks are left out for a row (shared reasons).
_PADDING_ROW = "the padding row gets no gradient by design; finite differences see one"
_FREQ_ROW = "scale_grad_by_freq divides each row's gradient by its count, as torch: not dL/dW"
_LOSS_REPR = "minitorch's losses show their non-default arguments; torch's losses show none"
_MHA_REASON = (
    "torch's out_proj is a NonDynamicallyQuantizableLinear (a quantisation marker) and its "
    "MultiheadAttention shows no arguments; minitorch's shows them"
)
_TEL_REASON = _MHA_REASON + "; the activation is a child Layer (torch keeps a function)"


def _shows(args: str) -> tuple:
    """torch's repr of a loss, ``Name()``, with the arguments minitorch shows."""
    return ((r"\(\)$", f"({args})"),)


def _mha(extra: str = "dropout=0.0, batch_first=False", activation: str = "") -> tuple:
    """torch's repr with minitorch's Linear out_proj, MultiheadAttention arguments and, for an
    encoder layer, its activation child."""
    edits = (("NonDynamicallyQuantizableLinear", "Linear"),
             (r"MultiheadAttention\(\n( *)",
              rf"MultiheadAttention(\n\1embed_dim=4, num_heads=2, {extra}\n\1"))  # fmt: skip
    return edits + (((r"\n\)$", f"\n  (activation): {activation}\n)"),) if activation else ())


def _lstm(m: Any, x: Any, h: Any, c: Any) -> Any:
    return m(x, (h, c))


def _self_attention(m: Any, x: Any) -> Any:
    return m(x, x, x)


def _padded_attention(m: Any, q: Any, k: Any, v: Any, mask: Any) -> Any:
    return m(q, k, v, key_padding_mask=mask)


def _per_head_attention(m: Any, q: Any, k: Any, v: Any, mask: Any) -> Any:
    return m(q, k, v, attn_mask=mask, average_attn_weights=False)


def _causal_encoder(m: Any, x: Any, mask: Any) -> Any:
    return m(x, src_mask=mask, is_causal=True)


def _mlp(lib: Any) -> Any:
    nn = lib.nn
    return nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))


def _conv_block(lib: Any) -> Any:
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(12, 2))  # fmt: skip


_KPM = np.array([[False, False, True, False, True], [False, True, False, False, False]])
_CAUSAL = np.triu(np.ones((3, 3), dtype=bool), k=1)
_RUNNING_3 = {"running_mean": np.array([0.5, -1.0, 2.0]), "running_var": np.array([2.0, 0.5, 1.5])}
_W5 = np.array([1.0, 2.0, 0.5, 1.5, 0.8])

_PAIR = (floats(3, 4), floats(3, 4))
def _on_a_copy(module: Any, x: Any) -> Any:
    """An in-place layer called on a non-leaf: PyTorch (and minitorch) refuse to modify a leaf
    that requires grad in place."""
    return module(x.clone() if hasattr(x, "clone") else x)


# torch's Hardsigmoid backward multiplies by float32(1/6) even in float64 (3e-8 relative off)
_SIXTH_RTOL = 1e-7

# The table reads best one row per configuration, so the formatter leaves it alone.
# fmt: off
ROWS = [
    # --- activations --------------------------------------------------------------------------
    Row("Identity", "Identity", (54,), {"unused": 1}, (floats(3, 4),)),
    Row("ReLU", "ReLU", inputs=(floats(3, 4),)),
    Row("ReLU-0d", "ReLU", inputs=(floats(),)),
    Row("ReLU-noncontiguous", "ReLU", inputs=(floats(4, 3, perm=(1, 0)),)),
    Row("LeakyReLU", "LeakyReLU", (0.2,), inputs=(floats(3, 4),)),
    Row("ELU", "ELU", kwargs={"alpha": 0.7}, inputs=(floats(3, 4, scale=2),)),
    Row("GELU", "GELU", inputs=(floats(3, 4, scale=2),)),
    Row("GELU-tanh", "GELU", kwargs={"approximate": "tanh"}, inputs=(floats(2, 3, 2, scale=2),)),
    Row("SiLU", "SiLU", inputs=(floats(3, 4, scale=2),)),
    Row("Softplus", "Softplus", kwargs={"beta": 2.0, "threshold": 3.0},
        inputs=(floats(3, 4, scale=2),)),
    Row("Sigmoid", "Sigmoid", inputs=(floats(3, 4, scale=3),)),
    Row("Tanh", "Tanh", inputs=(floats(3, 4, scale=2),)),
    Row("Tanh-noncontiguous", "Tanh", inputs=(floats(2, 3, 4, perm=(2, 0, 1)),)),
    Row("Softmax", "Softmax", kwargs={"dim": 1}, inputs=(floats(2, 3, 4, scale=2),),
        bad=Bad((floats(3),), IndexError, r"Softmax: dim 1 is out of range for a 1-D input")),
    Row("Softmax-0d", "Softmax", kwargs={"dim": 0}, inputs=(floats(),)),
    Row("Softmax-noncontiguous", "Softmax", kwargs={"dim": -1},
        inputs=(floats(3, 4, perm=(1, 0)),)),
    Row("LogSoftmax", "LogSoftmax", kwargs={"dim": 2}, inputs=(floats(2, 3, 4, scale=2),),
        bad=Bad((floats(3, 4),), IndexError, r"LogSoftmax: dim 2 is out of range")),
    Row("LogSoftmax-last", "LogSoftmax", kwargs={"dim": -1}, inputs=(floats(5),)),
    # --- linear, flatten ----------------------------------------------------------------------
    Row("Linear", "Linear", (3, 2), inputs=(floats(4, 3),),
        bad=Bad((floats(4, 5),), ValueError,
                r"Linear\(3, 2\) expects input of shape \(\*, 3\), got \(4, 5\)")),
    Row("Linear-nobias-3d", "Linear", (3, 2), {"bias": False}, (floats(2, 5, 3),)),
    Row("Linear-1d", "Linear", (3, 2), inputs=(floats(3),)),
    Row("Linear-emptybatch", "Linear", (3, 2), inputs=(floats(0, 3),)),
    Row("Linear-noncontiguous", "Linear", (3, 2), inputs=(floats(4, 3, perm=(1, 0)),)),
    Row("Flatten", "Flatten", inputs=(floats(2, 3, 2, 2),),
        bad=Bad((floats(3),), IndexError, r"Flatten: start_dim=1 is out of range")),
    Row("Flatten-middle", "Flatten", (0, 1), inputs=(floats(2, 3, 4),)),
    Row("Flatten-0d", "Flatten", (0, -1), inputs=(floats(),)),
    Row("Unflatten", "Unflatten", (1, (2, 3)), inputs=(floats(4, 6, 2),),
        bad=Bad((floats(4, 5, 2),), ValueError, r"Unflatten: unflattened_size \(2, 3\) does not")),
    Row("Unflatten-inferred", "Unflatten", (-1, (2, -1)), inputs=(floats(3, 6),)),
    # --- convolutions -------------------------------------------------------------------------
    Row("Conv1d", "Conv1d", (3, 4, 3), inputs=(floats(2, 3, 7),),
        bad=Bad((floats(2, 2, 7),), ValueError, r"Conv1d expects 3 input channels")),
    Row("Conv1d-strided-dilated-groups", "Conv1d", (4, 2, 2),
        {"stride": 3, "padding": 1, "dilation": 2, "groups": 2}, (floats(2, 4, 8),)),
    Row("Conv1d-same-unbatched", "Conv1d", (2, 3, 4), {"padding": "same", "bias": False},
        (floats(2, 6),)),
    Row("Conv1d-reflect", "Conv1d", (2, 3, 3), {"padding": 2, "padding_mode": "reflect"},
        (floats(1, 2, 6),)),
    Row("Conv2d", "Conv2d", (3, 4, 3), {"padding": 1}, (floats(2, 3, 4, 4),),
        bad=Bad((floats(2, 2, 4, 4),), ValueError, r"Conv2d expects 3 input channels")),
    Row("Conv2d-rank", "Conv2d", (3, 4, 3), inputs=(floats(1, 3, 4, 4),),
        bad=Bad((floats(4, 4),), ValueError, r"Conv2d expects input \(N, C, H, W\)")),
    Row("Conv2d-groups-stride", "Conv2d", (4, 6, 3), {"groups": 2, "stride": (1, 2)},
        (floats(1, 4, 5, 6),)),
    Row("Conv2d-dilation", "Conv2d", (2, 2, 3), {"dilation": 2, "padding": 2, "bias": False},
        (floats(1, 2, 5, 5),)),
    Row("Conv2d-depthwise", "Conv2d", (3, 3, 2), {"groups": 3}, (floats(2, 3, 4, 3),)),
    Row("Conv2d-same-rect", "Conv2d", (2, 3, (2, 3)), {"padding": "same"}, (floats(1, 2, 4, 5),)),
    Row("Conv2d-circular", "Conv2d", (2, 2, 3), {"padding": (1, 2), "padding_mode": "circular"},
        (floats(1, 2, 4, 4),)),
    Row("Conv2d-byrows", "Conv2d", (2, 3, 5), {"padding": 2}, (floats(1, 2, 5, 5),)),
    Row("Conv2d-unbatched", "Conv2d", (2, 2, 3), {"stride": 2}, (floats(2, 5, 5),)),
    Row("Conv2d-noncontiguous", "Conv2d", (3, 2, 3),
        inputs=(floats(2, 3, 5, 4, perm=(0, 3, 1, 2)),)),
    Row("ConvTranspose2d", "ConvTranspose2d", (2, 3, 3),
        {"stride": 2, "padding": 1, "output_padding": 1}, (floats(2, 2, 3, 3),),
        bad=Bad((floats(1, 3, 3, 3),), ValueError, r"ConvTranspose2d expects 2 input channels")),
    Row("ConvTranspose2d-groups", "ConvTranspose2d", (4, 2, (2, 3)),
        {"stride": (3, 1), "groups": 2, "bias": False}, (floats(1, 4, 2, 3),)),
    Row("ConvTranspose2d-dilation-unbatched", "ConvTranspose2d", (2, 2, 2),
        {"dilation": 2, "padding": 1, "stride": (2, 1), "output_padding": (1, 0)},
        (floats(2, 3, 3),)),
    # --- pooling ------------------------------------------------------------------------------
    Row("MaxPool1d", "MaxPool1d", (3,), {"stride": 2, "padding": 1}, (floats(2, 3, 7),),
        bad=Bad((floats(2, 3, 4, 4),), ValueError, r"MaxPool1d expects input \(N, C, L\)")),
    Row("MaxPool2d-2x2", "MaxPool2d", (2,), inputs=(floats(2, 3, 4, 4),),
        bad=Bad((floats(4, 4),), ValueError, r"MaxPool2d expects input \(N, C, H, W\)")),
    Row("MaxPool2d-padded", "MaxPool2d", (3,), {"stride": 2, "padding": 1},
        (floats(1, 2, 5, 6),)),
    Row("MaxPool2d-dilation-ceil", "MaxPool2d", (2,),
        {"stride": 2, "dilation": 2, "ceil_mode": True}, (floats(1, 2, 6, 7),)),
    Row("MaxPool2d-indices", "MaxPool2d", ((2, 3),), {"stride": 1, "return_indices": True},
        (floats(2, 2, 3, 4),)),
    Row("MaxPool2d-noncontiguous", "MaxPool2d", (2,),
        inputs=(floats(1, 2, 4, 4, perm=(0, 1, 3, 2)),)),
    Row("AvgPool1d", "AvgPool1d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False},
        (floats(2, 3, 7),),
        bad=Bad((floats(2, 3, 4, 4),), ValueError, r"AvgPool1d expects input \(N, C, L\)")),
    Row("AvgPool2d", "AvgPool2d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True},
        (floats(2, 2, 5, 6),),
        bad=Bad((floats(4, 4),), ValueError, r"AvgPool2d expects input \(N, C, H, W\)")),
    Row("AvgPool2d-divisor", "AvgPool2d", (2,), {"divisor_override": 3}, (floats(2, 4, 4),)),
    Row("AdaptiveAvgPool2d", "AdaptiveAvgPool2d", ((2, 3),), inputs=(floats(2, 3, 5, 7),),
        bad=Bad((floats(5, 7),), ValueError, r"AdaptiveAvgPool2d expects input")),
    Row("AdaptiveAvgPool2d-tiles", "AdaptiveAvgPool2d", ((None, 2),), inputs=(floats(2, 3, 4),)),
    Row("AdaptiveAvgPool2d-global", "AdaptiveAvgPool2d", (1,), inputs=(floats(2, 3, 4, 4),)),
    # --- normalisation ------------------------------------------------------------------------
    Row("BatchNorm1d", "BatchNorm1d", (3,), inputs=(floats(5, 3, scale=2),),
        bad=Bad((floats(5, 4),), ValueError, r"BatchNorm1d\(3\): expected 3 channels")),
    Row("BatchNorm1d-3d-eval", "BatchNorm1d", (3,), inputs=(floats(4, 3, 2),), eval=True,
        state=_RUNNING_3),
    Row("BatchNorm1d-nostats", "BatchNorm1d", (3,), {"track_running_stats": False},
        (floats(4, 3, 2),)),
    Row("BatchNorm2d", "BatchNorm2d", (3,), {"momentum": None}, (floats(2, 3, 2, 3),),
        bad=Bad((floats(2, 3, 4),), ValueError, r"BatchNorm2d\(3\): expected 4D input")),
    Row("BatchNorm2d-noaffine", "BatchNorm2d", (3,), {"affine": False}, (floats(3, 3, 2, 2),)),
    Row("BatchNorm2d-eval", "BatchNorm2d", (3,), inputs=(floats(2, 3, 2, 2),), eval=True,
        state=_RUNNING_3),
    Row("LayerNorm", "LayerNorm", (4,), inputs=(floats(2, 3, 4, scale=2),),
        bad=Bad((floats(2, 3),), ValueError, r"LayerNorm\(\(4,\)\) expects input")),
    Row("LayerNorm-2d-noaffine", "LayerNorm", ((3, 4),), {"elementwise_affine": False},
        (floats(2, 3, 4),)),
    Row("LayerNorm-nobias", "LayerNorm", (4,), {"bias": False}, (floats(3, 4),)),
    Row("GroupNorm", "GroupNorm", (2, 4), inputs=(floats(2, 4, 3),),
        bad=Bad((floats(2, 6, 3),), ValueError, r"GroupNorm\(2, 4\) expects input")),
    Row("GroupNorm-noaffine", "GroupNorm", (3, 6), {"affine": False}, (floats(2, 6, 2, 2),)),
    # --- dropout ------------------------------------------------------------------------------
    Row("Dropout", "Dropout", (0.5,), inputs=(floats(4, 5),), random=True),
    Row("Dropout-eval", "Dropout", (0.5,), inputs=(floats(4, 5),), eval=True),
    Row("Dropout2d", "Dropout2d", (0.5,), inputs=(floats(3, 4, 2, 2),), random=True,
        bad=Bad((floats(3, 4),), ValueError, r"Dropout2d: expected a 3D")),
    Row("Dropout2d-eval", "Dropout2d", (0.5,), inputs=(floats(2, 3, 2, 2),), eval=True),
    # --- embedding ----------------------------------------------------------------------------
    Row("Embedding", "Embedding", (10, 3), inputs=(ints(2, 5, high=10),),
        bad=Bad((fixed([[1, 10]]),), IndexError, r"Embedding\(10, 3\): index out of range")),
    Row("Embedding-padding", "Embedding", (6, 2), {"padding_idx": 0},
        (fixed([[0, 1, 0], [3, 5, 1]]),), skip={"gradcheck": _PADDING_ROW}),
    Row("Embedding-freq", "Embedding", (6, 2), {"scale_grad_by_freq": True},
        (fixed([[2, 1, 2], [2, 5, 0]]),), skip={"gradcheck": _FREQ_ROW},
        bad=Bad((fixed([0.0, 1.0]),), TypeError, r"Embedding\(6, 2\): indices must be")),
    # --- recurrent ----------------------------------------------------------------------------
    Row("RNN", "RNN", (3, 4), inputs=(floats(4, 2, 3), floats(1, 2, 4)),
        bad=Bad((floats(4, 2, 5),), ValueError, r"RNN\(input_size=3\) expects input")),
    Row("RNN-relu-2layer-bidirectional", "RNN", (2, 3),
        {"nonlinearity": "relu", "num_layers": 2, "bidirectional": True},
        (floats(3, 2, 2), floats(4, 2, 3)), torch_repr_edits=((r"\)$", ", nonlinearity='relu')"),),
        repr_reason="minitorch shows a non-default nonlinearity; torch's RNN repr omits it"),
    Row("RNN-dropout", "RNN", (2, 3), {"num_layers": 2, "dropout": 0.5}, (floats(3, 2, 2),),
        random=True),
    Row("GRU-batch-first", "GRU", (3, 2), {"batch_first": True}, (floats(2, 4, 3),),
        bad=Bad((floats(2, 4, 3), floats(2, 2, 2)), ValueError, r"GRU: expected h_0 of shape")),
    Row("GRU-unbatched-nobias", "GRU", (2, 3), {"num_layers": 2, "bias": False},
        (floats(3, 2), floats(2, 3))),
    Row("LSTM", "LSTM", (3, 2), inputs=(floats(4, 2, 3),),
        bad=Bad((floats(4, 2, 2),), ValueError, r"LSTM\(input_size=3\) expects input")),
    Row("LSTM-2layer-bidirectional", "LSTM", (2, 2), {"num_layers": 2, "bidirectional": True},
        (floats(3, 2, 2), floats(4, 2, 2), floats(4, 2, 2)), call=_lstm),
    Row("LSTM-batch-first-dropout", "LSTM", (2, 2),
        {"num_layers": 2, "batch_first": True, "dropout": 0.5}, (floats(2, 3, 2),), random=True),
    # --- attention ----------------------------------------------------------------------------
    Row("MultiheadAttention", "MultiheadAttention", (4, 2),
        inputs=(floats(3, 2, 4), floats(5, 2, 4), floats(5, 2, 4)), explicit=False,
        torch_repr_edits=_mha(), repr_reason=_MHA_REASON,
        bad=Bad((floats(3, 2, 3), floats(5, 2, 4), floats(5, 2, 4)), ValueError,
                r"MultiheadAttention\(embed_dim=4\): expected query with last dim 4")),
    Row("MultiheadAttention-kdim-padding", "MultiheadAttention", (4, 2),
        {"kdim": 3, "vdim": 2, "batch_first": True},
        (floats(2, 3, 4), floats(2, 5, 3), floats(2, 5, 2), fixed(_KPM)), call=_padded_attention,
        explicit=False, torch_repr_edits=_mha("dropout=0.0, batch_first=True"),
        repr_reason=_MHA_REASON,
        bad=Bad((floats(2, 3, 4), floats(2, 5, 3), floats(2, 5, 2), fixed(_KPM[:, :4])),
                ValueError, r"MultiheadAttention: key_padding_mask must have shape \(2, 5\)")),
    Row("MultiheadAttention-self-unbatched-nobias", "MultiheadAttention", (4, 2), {"bias": False},
        (floats(3, 4),), call=_self_attention, explicit=False, torch_repr_edits=_mha(),
        repr_reason=_MHA_REASON),
    Row("MultiheadAttention-per-head-float-mask", "MultiheadAttention", (4, 2),
        inputs=(floats(3, 2, 4), floats(2, 2, 4), floats(2, 2, 4), floats(4, 3, 2, grad=False)),
        call=_per_head_attention, explicit=False, torch_repr_edits=_mha(),
        repr_reason=_MHA_REASON),
    Row("MultiheadAttention-dropout", "MultiheadAttention", (4, 2), {"dropout": 0.3},
        (floats(3, 2, 4), floats(3, 2, 4), floats(3, 2, 4)), random=True, explicit=False,
        torch_repr_edits=_mha("dropout=0.3, batch_first=False"), repr_reason=_MHA_REASON),
    Row("TransformerEncoderLayer", "TransformerEncoderLayer", (4, 2, 8, 0.0),
        inputs=(floats(3, 2, 4),), explicit=False,
        torch_repr_edits=_mha(activation="ReLU()"), repr_reason=_TEL_REASON,
        bad=Bad((floats(3, 2, 5),), ValueError, r"expected query with last dim 4",
                names="MultiheadAttention")),
    Row("TransformerEncoderLayer-normfirst-gelu-causal", "TransformerEncoderLayer", (4, 2, 6, 0.0),
        {"activation": "gelu", "norm_first": True, "batch_first": True},
        (floats(2, 3, 4), fixed(_CAUSAL)), call=_causal_encoder, explicit=False,
        torch_repr_edits=_mha("dropout=0.0, batch_first=True", "GELU(approximate='none')"),
        repr_reason=_TEL_REASON),
    Row("TransformerEncoderLayer-dropout", "TransformerEncoderLayer", (4, 2, 6, 0.2),
        inputs=(floats(3, 2, 4),), random=True, explicit=False,
        torch_repr_edits=_mha("dropout=0.2, batch_first=False", "ReLU()"),
        repr_reason=_TEL_REASON),
    # --- containers ---------------------------------------------------------------------------
    Row("Sequential-mlp", "Sequential", make=_mlp, inputs=(floats(4, 3),),
        bad=Bad((floats(4, 5),), ValueError, r"Linear\(3, 4\) expects input", names="Linear")),
    Row("Sequential-conv-block", "Sequential", make=_conv_block, inputs=(floats(2, 2, 4, 4),)),
    # --- regression losses --------------------------------------------------------------------
    Row("MSELoss", "MSELoss", inputs=(floats(3, 4), floats(3, 4, grad=False)),
        bad=Bad((floats(3, 4), floats(3, 5)), ValueError,
                r"MSELoss: input shape \(3, 4\) and target shape \(3, 5\) differ")),
    Row("MSELoss-sum-0d", "MSELoss", kwargs={"reduction": "sum"},
        inputs=(floats(), floats(grad=False)),
        torch_repr_edits=_shows("reduction='sum'"), repr_reason=_LOSS_REPR),
    Row("MSELoss-none-noncontiguous", "MSELoss", kwargs={"reduction": "none"},
        inputs=(floats(3, 4, perm=(1, 0)), floats(3, 4, grad=False)),
        torch_repr_edits=_shows("reduction='none'"), repr_reason=_LOSS_REPR),
    Row("L1Loss", "L1Loss", inputs=(floats(3, 4), floats(3, 4, grad=False)),
        bad=Bad((floats(3, 4), floats(4, 3)), ValueError, r"L1Loss: input shape")),
    Row("L1Loss-none", "L1Loss", kwargs={"reduction": "none"},
        inputs=(floats(2, 3), floats(2, 3, grad=False)),
        torch_repr_edits=_shows("reduction='none'"), repr_reason=_LOSS_REPR),
    Row("HuberLoss", "HuberLoss", kwargs={"delta": 0.5},
        inputs=(floats(3, 4), floats(3, 4, grad=False)),
        torch_repr_edits=_shows("delta=0.5"), repr_reason=_LOSS_REPR,
        bad=Bad((fixed(np.zeros((2, 2), np.int64)), fixed(np.zeros((2, 2)))), TypeError,
                r"HuberLoss: input must be a floating tensor")),
    Row("HuberLoss-sum", "HuberLoss", ("sum", 2.0),
        inputs=(floats(5, scale=2), floats(5, grad=False)),
        torch_repr_edits=_shows("reduction='sum', delta=2.0"), repr_reason=_LOSS_REPR),
    Row("SmoothL1Loss", "SmoothL1Loss", kwargs={"beta": 0.5},
        inputs=(floats(3, 4), floats(3, 4, grad=False)),
        torch_repr_edits=_shows("beta=0.5"), repr_reason=_LOSS_REPR,
        bad=Bad((floats(3, 4), floats(3)), ValueError, r"SmoothL1Loss: input shape")),
    Row("SmoothL1Loss-none", "SmoothL1Loss", kwargs={"reduction": "none", "beta": 2.0},
        inputs=(floats(2, 3), floats(2, 3, grad=False)),
        torch_repr_edits=_shows("reduction='none', beta=2.0"), repr_reason=_LOSS_REPR),
    Row("KLDivLoss", "KLDivLoss", kwargs={"reduction": "batchmean"},
        inputs=(floats(3, 4), floats(3, 4, low=0.1, high=1.0, grad=False)),
        torch_repr_edits=_shows("reduction='batchmean', log_target=False"),
        repr_reason=_LOSS_REPR,
        bad=Bad((floats(3, 4), floats(2, 4)), ValueError, r"KLDivLoss: input shape")),
    Row("KLDivLoss-logtarget-sum", "KLDivLoss", kwargs={"reduction": "sum", "log_target": True},
        inputs=(floats(3, 4), floats(3, 4, grad=False)),
        torch_repr_edits=_shows("reduction='sum', log_target=True"), repr_reason=_LOSS_REPR),
    # --- binary losses ------------------------------------------------------------------------
    Row("BCELoss", "BCELoss",
        inputs=(floats(3, 4, low=0.05, high=0.95), floats(3, 4, low=0, high=1, grad=False)),
        bad=Bad((floats(3, 4, low=1.5, high=2), floats(3, 4, low=0, high=1)), ValueError,
                r"BCELoss: all elements of input must be in \[0, 1\]")),
    Row("BCELoss-weight-sum", "BCELoss",
        kwargs={"weight": np.array([1.0, 2.0, 0.5, 1.5]), "reduction": "sum"},
        inputs=(floats(3, 4, low=0.05, high=0.95), fixed(np.array([[0.0, 1, 1, 0]] * 3))),
        torch_repr_edits=_shows("reduction='sum'"), repr_reason=_LOSS_REPR),
    Row("BCEWithLogitsLoss", "BCEWithLogitsLoss",
        inputs=(floats(3, 4, scale=3), floats(3, 4, low=0, high=1, grad=False)),
        bad=Bad((floats(3, 4), floats(4, 4)), ValueError, r"BCEWithLogitsLoss: input shape")),
    Row("BCEWithLogitsLoss-posweight-none", "BCEWithLogitsLoss",
        kwargs={"pos_weight": np.array([1.0, 3.0, 0.5]), "weight": np.array([[2.0], [0.5]]),
                "reduction": "none"},
        inputs=(floats(2, 3, scale=3), floats(2, 3, low=0, high=1, grad=False)),
        torch_repr_edits=_shows("reduction='none'"), repr_reason=_LOSS_REPR),
    # --- classification losses ----------------------------------------------------------------
    Row("CrossEntropyLoss", "CrossEntropyLoss", inputs=(floats(4, 5, scale=2), ints(4, high=5)),
        bad=Bad((floats(4, 5), fixed([0, 1, 7, 2])), IndexError,
                r"CrossEntropyLoss: target 7 is out of bounds")),
    Row("CrossEntropyLoss-weight-ignore-smoothing", "CrossEntropyLoss",
        kwargs={"weight": _W5, "ignore_index": 2, "label_smoothing": 0.1},
        inputs=(floats(6, 5, scale=2), fixed([0, 2, 4, 1, 2, 3])),
        torch_repr_edits=_shows("ignore_index=2, label_smoothing=0.1"), repr_reason=_LOSS_REPR),
    Row("CrossEntropyLoss-spatial-none", "CrossEntropyLoss", kwargs={"reduction": "none"},
        inputs=(floats(2, 3, 2, 2), ints(2, 2, 2, high=3)),
        torch_repr_edits=_shows("reduction='none'"), repr_reason=_LOSS_REPR,
        bad=Bad((floats(2, 3, 2, 2), ints(2, 2, high=3)), ValueError,
                r"CrossEntropyLoss: for input of shape \(2, 3, 2, 2\) the target must be")),
    Row("CrossEntropyLoss-probabilities-sum", "CrossEntropyLoss",
        kwargs={"reduction": "sum", "label_smoothing": 0.2, "weight": _W5[:4]},
        inputs=(floats(3, 4), floats(3, 4, low=0, high=1, grad=False)),
        torch_repr_edits=_shows("reduction='sum', label_smoothing=0.2"), repr_reason=_LOSS_REPR),
    Row("CrossEntropyLoss-unbatched", "CrossEntropyLoss", inputs=(floats(5), fixed(3))),
    Row("NLLLoss", "NLLLoss", inputs=(floats(4, 3), ints(4, high=3)),
        bad=Bad((floats(4, 3), fixed([0.0, 1.0, 2.0, 0.0])), ValueError,
                r"NLLLoss: for input of shape \(4, 3\) the target must be integer")),
    Row("NLLLoss-weight-ignore-sum", "NLLLoss",
        kwargs={"weight": _W5, "ignore_index": 1, "reduction": "sum"},
        inputs=(floats(4, 5), fixed([1, 0, 4, 1])),
        torch_repr_edits=_shows("reduction='sum', ignore_index=1"), repr_reason=_LOSS_REPR),
    Row("NLLLoss-spatial-none", "NLLLoss", kwargs={"reduction": "none"},
        inputs=(floats(2, 3, 4), ints(2, 4, high=3)),
        torch_repr_edits=_shows("reduction='none'"), repr_reason=_LOSS_REPR),
    # === PyTorch-parity additions: new keywords, activations, pooling, norms, padding, resizing,
    # === pixel shuffle, distances (one block, appended) ==========================================
    # --- keywords of existing layers ----------------------------------------------------------
    Row("ReLU-inplace", "ReLU", kwargs={"inplace": True}, inputs=(floats(3, 4),),
        call=_on_a_copy),
    Row("ELU-inplace", "ELU", kwargs={"inplace": True}, inputs=(floats(3, 4),), call=_on_a_copy),
    Row("BatchNorm2d-nobias", "BatchNorm2d", (3,), {"bias": False}, (floats(2, 3, 2, 2),)),
    Row("BatchNorm1d-noaffine-nobias", "BatchNorm1d", (3,), {"affine": False, "bias": False},
        (floats(4, 3),)),
    Row("GroupNorm-nobias", "GroupNorm", (2, 4), {"bias": False}, (floats(2, 4, 3),)),
    Row("Conv2d-valid", "Conv2d", (2, 3, 2), {"padding": "valid"}, (floats(1, 2, 3, 3),)),
    # --- activations --------------------------------------------------------------------------
    Row("Hardtanh", "Hardtanh", (-0.5, 1.5), inputs=(floats(3, 4, scale=2),)),
    Row("Hardtanh-inplace", "Hardtanh", kwargs={"inplace": True}, inputs=(floats(3, 4),),
        call=_on_a_copy),
    Row("ReLU6", "ReLU6", inputs=(floats(3, 4, scale=5),)),
    Row("Hardsigmoid", "Hardsigmoid", inputs=(floats(3, 4, scale=4),), rtol=_SIXTH_RTOL),
    Row("Hardswish", "Hardswish", inputs=(floats(3, 4, scale=4),)),
    Row("Mish", "Mish", inputs=(floats(3, 4, scale=3),)),
    Row("Softsign", "Softsign", inputs=(floats(3, 4, scale=2),)),
    Row("Tanhshrink", "Tanhshrink", inputs=(floats(3, 4, scale=2),)),
    Row("LogSigmoid", "LogSigmoid", inputs=(floats(3, 4, scale=3),)),
    Row("Softmin", "Softmin", kwargs={"dim": 1}, inputs=(floats(2, 3, 4),),
        bad=Bad((floats(3),), IndexError, r"Softmin: dim 1 is out of range for a 1-D input")),
    Row("PReLU", "PReLU", inputs=(floats(3, 4),)),
    Row("PReLU-channels", "PReLU", (3,), {"init": 0.1}, (floats(2, 3, 4),),
        bad=Bad((floats(2, 4, 4),), ValueError, r"PReLU\(3\): 3 parameters but the input")),
    # --- adaptive pooling ---------------------------------------------------------------------
    Row("AdaptiveAvgPool1d", "AdaptiveAvgPool1d", (3,), inputs=(floats(2, 3, 7),),
        bad=Bad((floats(2, 3, 4, 4),), ValueError, r"AdaptiveAvgPool1d expects input \(N, C")),
    Row("AdaptiveAvgPool1d-tiles-unbatched", "AdaptiveAvgPool1d", (4,), inputs=(floats(3, 8),)),
    Row("AdaptiveMaxPool1d", "AdaptiveMaxPool1d", (3,), inputs=(floats(2, 3, 7),),
        bad=Bad((floats(7),), ValueError, r"AdaptiveMaxPool1d expects input")),
    Row("AdaptiveMaxPool1d-indices", "AdaptiveMaxPool1d", (4,), {"return_indices": True},
        (floats(2, 8),)),
    Row("AdaptiveMaxPool2d", "AdaptiveMaxPool2d", ((2, 3),), inputs=(floats(2, 3, 5, 7),),
        bad=Bad((floats(5, 7),), ValueError, r"AdaptiveMaxPool2d expects input")),
    Row("AdaptiveMaxPool2d-indices-tiles", "AdaptiveMaxPool2d", (2,), {"return_indices": True},
        (floats(2, 2, 4, 6),)),
    Row("AdaptiveMaxPool2d-none-unbatched", "AdaptiveMaxPool2d", ((3, None),),
        inputs=(floats(2, 5, 4),)),
    Row("AdaptiveMaxPool2d-upsampling", "AdaptiveMaxPool2d", ((5, 4),),
        inputs=(floats(1, 2, 3, 3),)),
    # --- instance norm ------------------------------------------------------------------------
    Row("InstanceNorm1d", "InstanceNorm1d", (3,), inputs=(floats(2, 3, 5, scale=2),),
        bad=Bad((floats(2, 3, 4, 4),), ValueError, r"InstanceNorm1d\(3\): expected 2D")),
    Row("InstanceNorm1d-affine-stats", "InstanceNorm1d", (3,),
        {"affine": True, "track_running_stats": True}, (floats(2, 3, 5),),
        bad=Bad((floats(2, 4, 5),), ValueError, r"InstanceNorm1d\(3\): expected 3 channels")),
    Row("InstanceNorm1d-unbatched-momentum", "InstanceNorm1d", (2,),
        {"track_running_stats": True, "momentum": 0.3}, (floats(2, 6),)),
    Row("InstanceNorm2d", "InstanceNorm2d", (3,), {"affine": True}, (floats(2, 3, 3, 4),),
        bad=Bad((floats(3, 4),), ValueError, r"InstanceNorm2d\(3\): expected 3D")),
    Row("InstanceNorm2d-eval", "InstanceNorm2d", (3,),
        {"affine": True, "track_running_stats": True}, (floats(2, 3, 2, 3),), eval=True,
        state=_RUNNING_3),
    Row("InstanceNorm2d-unbatched-nobias", "InstanceNorm2d", (2,), {"affine": True, "bias": False},
        (floats(2, 3, 3),)),
    # --- padding ------------------------------------------------------------------------------
    Row("ZeroPad1d", "ZeroPad1d", ((1, 2),), inputs=(floats(2, 3, 4),),
        bad=Bad((floats(),), ValueError, r"ZeroPad1d: padding length 2 is more than")),
    Row("ZeroPad2d", "ZeroPad2d", (1,), inputs=(floats(2, 2, 3, 3),),
        bad=Bad((floats(3),), ValueError, r"ZeroPad2d: padding length 4 is more than")),
    Row("ZeroPad2d-crop", "ZeroPad2d", ((-1, 2, 0, -1),), inputs=(floats(2, 3, 4),)),
    Row("ZeroPad3d", "ZeroPad3d", ((1, 0, 0, 1, 1, 1),), inputs=(floats(1, 2, 2, 2, 3),),
        bad=Bad((floats(2, 3),), ValueError, r"ZeroPad3d: padding length 6 is more than")),
    Row("ConstantPad1d", "ConstantPad1d", (2, 1.5), inputs=(floats(2, 3),),
        bad=Bad((floats(),), ValueError, r"ConstantPad1d: padding length 2")),
    Row("ConstantPad2d", "ConstantPad2d", ((1, 2, 0, 3), -2.0), inputs=(floats(2, 2, 3, 3),),
        bad=Bad((floats(3),), ValueError, r"ConstantPad2d: padding length 4")),
    Row("ConstantPad3d", "ConstantPad3d", (1, 0.5), inputs=(floats(2, 2, 2, 3),),
        bad=Bad((floats(3, 3),), ValueError, r"ConstantPad3d: padding length 6")),
    Row("ReflectionPad1d", "ReflectionPad1d", ((2, 3),), inputs=(floats(2, 3, 5),),
        bad=Bad((floats(2, 3, 2),), ValueError, r"ReflectionPad1d: reflect padding \(2, 3\)")),
    Row("ReflectionPad2d", "ReflectionPad2d", ((1, 2, 2, 0),), inputs=(floats(2, 2, 3, 4),),
        bad=Bad((floats(3, 4),), ValueError, r"ReflectionPad2d: expected 3D or 4D input")),
    Row("ReflectionPad3d", "ReflectionPad3d", (1,), inputs=(floats(2, 2, 3, 3),),
        bad=Bad((floats(2, 3, 3),), ValueError, r"ReflectionPad3d: expected 4D or 5D input")),
    Row("ReplicationPad1d", "ReplicationPad1d", ((3, 1),), inputs=(floats(2, 3, 2),),
        bad=Bad((floats(4),), ValueError, r"ReplicationPad1d: expected 2D or 3D input")),
    Row("ReplicationPad2d", "ReplicationPad2d", ((2, 0, 1, 3),), inputs=(floats(1, 2, 3, 3),),
        bad=Bad((floats(1, 2, 2, 3, 3),), ValueError, r"ReplicationPad2d: expected 3D or 4D")),
    Row("ReplicationPad3d", "ReplicationPad3d", ((1, 1, 0, 2, 1, 0),),
        inputs=(floats(1, 2, 2, 3, 3),),
        bad=Bad((floats(3, 3),), ValueError, r"ReplicationPad3d: expected 4D or 5D input")),
    Row("CircularPad1d", "CircularPad1d", ((2, 4),), inputs=(floats(2, 3, 4),),
        bad=Bad((floats(2, 3, 3),), ValueError, r"CircularPad1d: circular padding \(2, 4\) must")),
    Row("CircularPad2d", "CircularPad2d", (1,), inputs=(floats(2, 3, 3),),
        bad=Bad((floats(3,),), ValueError, r"CircularPad2d: expected 3D or 4D input")),
    Row("CircularPad3d", "CircularPad3d", ((1, 0, 2, 1, 1, 1),), inputs=(floats(1, 1, 2, 3, 3),),
        bad=Bad((floats(3, 3),), ValueError, r"CircularPad3d: expected 4D or 5D input")),
    # --- resizing -----------------------------------------------------------------------------
    Row("Upsample", "Upsample", kwargs={"scale_factor": 2}, inputs=(floats(2, 3, 2, 3),),
        bad=Bad((floats(3, 4),), ValueError, r"Upsample: expected a 3D, 4D or 5D input")),
    Row("Upsample-nearest-size", "Upsample", kwargs={"size": (5, 7)},
        inputs=(floats(1, 2, 3, 4),)),
    Row("Upsample-nearest-3d-scale", "Upsample", kwargs={"scale_factor": 1.7},
        inputs=(floats(2, 2, 5),)),
    Row("Upsample-nearest-exact", "Upsample", kwargs={"size": (4, 5), "mode": "nearest-exact"},
        inputs=(floats(1, 2, 3, 3),)),
    Row("Upsample-bilinear", "Upsample", kwargs={"scale_factor": 1.5, "mode": "bilinear"},
        inputs=(floats(2, 2, 3, 4),),
        bad=Bad((floats(2, 2, 3),), ValueError,
                r"Upsample: got 3D input of shape \(2, 2, 3\), but bilinear mode")),
    Row("Upsample-bilinear-corners-down", "Upsample",
        kwargs={"size": (2, 5), "mode": "bilinear", "align_corners": True},
        inputs=(floats(1, 2, 4, 3),)),
    Row("Upsample-linear", "Upsample", kwargs={"scale_factor": (2.5,), "mode": "linear"},
        inputs=(floats(2, 3, 4),)),
    Row("Upsample-trilinear", "Upsample",
        kwargs={"size": (3, 2, 4), "mode": "trilinear", "align_corners": True},
        inputs=(floats(1, 1, 2, 3, 2),)),
    Row("Upsample-area", "Upsample", kwargs={"size": (2, 3), "mode": "area"},
        inputs=(floats(2, 2, 5, 7),)),
    Row("UpsamplingNearest2d", "UpsamplingNearest2d", kwargs={"scale_factor": 3},
        inputs=(floats(1, 2, 2, 2),),
        bad=Bad((floats(2, 2),), ValueError, r"UpsamplingNearest2d: expected a 3D, 4D or 5D")),
    Row("UpsamplingBilinear2d", "UpsamplingBilinear2d", kwargs={"size": (4, 5)},
        inputs=(floats(1, 2, 3, 2),),
        bad=Bad((floats(1, 2, 3),), ValueError, r"UpsamplingBilinear2d: got 3D input")),
    # --- pixel shuffle ------------------------------------------------------------------------
    Row("PixelShuffle", "PixelShuffle", (2,), inputs=(floats(2, 8, 2, 3),),
        bad=Bad((floats(2, 6, 2, 3),), ValueError, r"PixelShuffle: the channel dim 6")),
    Row("PixelShuffle-unbatched", "PixelShuffle", (3,), inputs=(floats(9, 2, 1),)),
    Row("PixelUnshuffle", "PixelUnshuffle", (2,), inputs=(floats(2, 2, 4, 6),),
        bad=Bad((floats(2, 2, 3, 6),), ValueError, r"PixelUnshuffle: the spatial dims \(3, 6\)")),
    # --- distances ----------------------------------------------------------------------------
    Row("CosineSimilarity", "CosineSimilarity", inputs=_PAIR,
        bad=Bad((floats(3, 4), floats(2, 4)), ValueError, r"CosineSimilarity: the shapes")),
    Row("CosineSimilarity-broadcast-last", "CosineSimilarity", kwargs={"dim": -1, "eps": 1e-6},
        inputs=(floats(2, 3, 4), floats(3, 4))),
    Row("PairwiseDistance", "PairwiseDistance", inputs=_PAIR,
        bad=Bad((floats(3, 4), floats(3, 5)), ValueError, r"PairwiseDistance: the shapes")),
    Row("PairwiseDistance-p1-keepdim", "PairwiseDistance", kwargs={"p": 1.0, "keepdim": True},
        inputs=(floats(2, 3, 4), floats(3, 4))),
    Row("PairwiseDistance-p3", "PairwiseDistance", kwargs={"p": 3.0, "eps": 0.0},
        inputs=(floats(5, 2), floats(5, 2))),
    # --- non-contiguous inputs to the new kernels ---------------------------------------------
    Row("Upsample-bilinear-noncontiguous", "Upsample", kwargs={"size": (5, 4), "mode": "bilinear"},
        inputs=(floats(1, 2, 3, 4, perm=(0, 1, 3, 2)),)),
    Row("Upsample-nearest-noncontiguous", "Upsample", kwargs={"scale_factor": 2},
        inputs=(floats(2, 2, 3, 3, perm=(1, 0, 3, 2)),)),
    Row("ReflectionPad2d-noncontiguous", "ReflectionPad2d", ((1, 2, 2, 1),),
        inputs=(floats(1, 2, 3, 4, perm=(0, 1, 3, 2)),)),
    Row("PixelShuffle-noncontiguous", "PixelShuffle", (2,),
        inputs=(floats(1, 4, 2, 3, perm=(0, 1, 3, 2)),)),
    Row("AdaptiveMaxPool2d-noncontiguous", "AdaptiveMaxPool2d", ((2, 3),),
        inputs=(floats(1, 2, 5, 4, perm=(0, 1, 3, 2)),)),
    Row("InstanceNorm2d-noncontiguous", "InstanceNorm2d", (2,), {"affine": True},
        inputs=(floats(2, 2, 3, 4, perm=(0, 3, 1, 2)),)),
    Row("CosineSimilarity-noncontiguous", "CosineSimilarity",
        inputs=(floats(3, 4, perm=(1, 0)), floats(3, 4))),
]
# fmt: on


# === recurrent cells and the Transformer stacks ==================================================
# (a block of its own, appended to ROWS, so that rows added above merge without conflicts)
_STACK_REPR = (
    "Module.__repr__ lists repeated children one by one "
    "where torch folds them ('(0-1): 2 x TransformerEncoderLayer(...)' for num_layers=2); the "
    "activation is a child Layer (torch keeps a function)"
)
_FLOAT_CAUSAL_4 = np.where(np.triu(np.ones((4, 4), dtype=bool), k=1), -np.inf, 0.0)
_FLOAT_CAUSAL_3 = np.where(_CAUSAL, -np.inf, 0.0)
_KPM_2x4 = np.array([[False, False, False, True], [False, True, False, False]])
_KPM_2x3 = np.array([[False, False, True], [False, False, False]])


def _lstm_cell(m: Any, x: Any, h: Any, c: Any) -> Any:
    return m(x, (h, c))


def _masked_decoder(m: Any, tgt: Any, memory: Any, tgt_mask: Any = None,
                    memory_kpm: Any = None) -> Any:  # fmt: skip
    return m(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_kpm,
             tgt_is_causal=tgt_mask is not None)  # fmt: skip


def _padded_decoder(m: Any, tgt: Any, memory: Any, tgt_kpm: Any, memory_mask: Any) -> Any:
    return m(tgt, memory, tgt_key_padding_mask=tgt_kpm, memory_mask=memory_mask)


def _masked_encoder(m: Any, src: Any, mask: Any = None, kpm: Any = None) -> Any:
    return m(src, mask=mask, src_key_padding_mask=kpm)


def _masked_transformer(m: Any, src: Any, tgt: Any, tgt_mask: Any = None,
                        src_kpm: Any = None) -> Any:  # fmt: skip
    return m(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=src_kpm,
             memory_key_padding_mask=src_kpm)  # fmt: skip


def _encoder(lib: Any) -> Any:
    nn = lib.nn
    layer = nn.TransformerEncoderLayer(4, 2, 6, 0.0)
    return nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(4), enable_nested_tensor=False)


def _decoder(lib: Any) -> Any:
    nn = lib.nn
    layer = nn.TransformerDecoderLayer(4, 2, 6, 0.0, batch_first=True, norm_first=True)
    return nn.TransformerDecoder(layer, 2)


def _quietly(make: Callable) -> Any:
    """torch's Transformer warns that its nested-tensor fast path is off (it is training)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "enable_nested_tensor is True")
        return make()


def _transformer(lib: Any) -> Any:
    return _quietly(lambda: lib.nn.Transformer(4, 2, 1, 1, 6, 0.0))


def _transformer_batch_first(lib: Any) -> Any:
    return _quietly(lambda: lib.nn.Transformer(4, 2, 1, 1, 4, 0.0, activation="gelu",
                                               batch_first=True, norm_first=True))  # fmt: skip


# fmt: off
ROWS += [
    # --- recurrent cells ----------------------------------------------------------------------
    Row("RNNCell", "RNNCell", (3, 4), inputs=(floats(2, 3), floats(2, 4)),
        bad=Bad((floats(2, 5),), ValueError, r"RNNCell\(input_size=3\) expects input \(N, 3\)")),
    Row("RNNCell-relu-nobias-unbatched", "RNNCell", (3, 4),
        {"bias": False, "nonlinearity": "relu"}, (floats(3),)),
    Row("LSTMCell", "LSTMCell", (3, 4), inputs=(floats(2, 3), floats(2, 4), floats(2, 4)),
        call=_lstm_cell,
        bad=Bad((floats(2, 3), floats(2, 3), floats(2, 4)), ValueError,
                r"LSTMCell: expected h of shape \(2, 4\), got \(2, 3\)")),
    Row("LSTMCell-unbatched-nostate", "LSTMCell", (3, 2), inputs=(floats(3),)),
    Row("GRUCell", "GRUCell", (3, 4), inputs=(floats(2, 3), floats(2, 4)),
        bad=Bad((floats(2, 2, 3),), ValueError, r"GRUCell\(input_size=3\) expects input")),
    Row("GRUCell-unbatched-nobias", "GRUCell", (2, 3), {"bias": False},
        (floats(2), floats(3))),
    # --- Transformer --------------------------------------------------------------------------
    Row("TransformerDecoderLayer-causal-padded", "TransformerDecoderLayer", (4, 2, 6, 0.0),
        inputs=(floats(3, 2, 4), floats(4, 2, 4), fixed(_CAUSAL), fixed(_KPM_2x4)),
        call=_masked_decoder, explicit=False, torch_repr_edits=_mha(activation="ReLU()"),
        repr_reason=_TEL_REASON,
        bad=Bad((floats(3, 2, 4), floats(4, 2, 3)), ValueError,
                r"expected key with last dim 4", names="MultiheadAttention")),
    Row("TransformerDecoderLayer-normfirst-gelu-batchfirst", "TransformerDecoderLayer",
        (4, 2, 6, 0.0), {"activation": "gelu", "norm_first": True, "batch_first": True},
        (floats(2, 3, 4), floats(2, 4, 4), fixed(_KPM_2x3), floats(3, 4, grad=False)),
        call=_padded_decoder, explicit=False,
        torch_repr_edits=_mha("dropout=0.0, batch_first=True", "GELU(approximate='none')"),
        repr_reason=_TEL_REASON),
    Row("TransformerDecoderLayer-dropout-unbatched", "TransformerDecoderLayer", (4, 2, 6, 0.3),
        inputs=(floats(3, 4), floats(4, 4)), random=True, explicit=False,
        torch_repr_edits=_mha("dropout=0.3, batch_first=False", "ReLU()"),
        repr_reason=_TEL_REASON,
    ),
    Row("TransformerEncoder", "TransformerEncoder", make=_encoder,
        inputs=(floats(4, 2, 4), fixed(_FLOAT_CAUSAL_4), fixed(np.where(_KPM_2x4, -np.inf, 0.0))),
        call=_masked_encoder, explicit=False, xfail={"repr": _STACK_REPR},
        bad=Bad((floats(4, 2, 5),), ValueError, r"expected query with last dim 4",
                names="MultiheadAttention")),
    Row("TransformerDecoder", "TransformerDecoder", make=_decoder,
        inputs=(floats(2, 3, 4), floats(2, 4, 4)), explicit=False, xfail={"repr": _STACK_REPR},
        bad=Bad((floats(2, 3, 4), floats(2, 4, 3)), ValueError, r"expected key with last dim 4",
                names="MultiheadAttention")),
    Row("Transformer", "Transformer", make=_transformer,
        inputs=(floats(4, 2, 4), floats(3, 2, 4), fixed(_FLOAT_CAUSAL_3), fixed(_KPM_2x4)),
        call=_masked_transformer, explicit=False, xfail={"repr": _STACK_REPR},
        bad=Bad((floats(4, 2, 4), floats(3, 3, 4)), RuntimeError,
                r"Transformer: the batch number of src and tgt must be equal")),
    Row("Transformer-batchfirst-normfirst-gelu-unbatched", "Transformer",
        make=_transformer_batch_first, inputs=(floats(4, 4), floats(3, 4)), explicit=False,
        xfail={"repr": _STACK_REPR},
        bad=Bad((floats(2, 4, 4), floats(2, 3, 5)), RuntimeError,
                r"Transformer: the feature number of src and tgt must be equal to d_model=4")),
]
# fmt: on
