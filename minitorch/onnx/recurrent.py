"""ONNX converters of ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU``: one ONNX RNN/LSTM/GRU node per
layer (both directions in one), with PyTorch's gate blocks reordered to ONNX's.

ONNX stacks the gates of an LSTM as (i, o, f, c) where PyTorch has (i, f, g, o), and those of a
GRU as (z, r, h) where PyTorch has (r, z, n); PyTorch's GRU applies the reset gate after the
hidden projection, which is ONNX's ``linear_before_reset=1``. ONNX's recurrent ops are
sequence-first with a direction axis: ``Y`` (T, D, N, H), ``Y_h`` (D, N, H).
"""

from __future__ import annotations

from typing import Any

import numpy as np  # gate reordering of constant weights (host only)

from minitorch.nn import layers
from minitorch.onnx.graph import GraphBuilder, Value, constant, converts

# PyTorch's gate block indices, in ONNX's order
GATE_ORDER = {"LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2], "RNN": [0]}


def gate_blocks(g: GraphBuilder, v: Value, order: list[int]) -> Value:
    """``v`` ((G * H, ...) weight or (G * H,) bias) with its gate blocks in ``order``, and a
    leading direction axis of 1."""
    G = len(order)
    if v.is_const:
        w = np.asarray(v.const)
        blocks = w.reshape(G, w.shape[0] // G, *w.shape[1:])[order]
        return constant(blocks.reshape(1, *w.shape))
    split = g.op("Reshape", [v, g.ints([G, v.shape[0] // G, *v.shape[1:]])])
    picked = g.op("Gather", [split, g.ints(order)], axis=0)
    return g.op("Reshape", [picked, g.ints([1, *v.shape])])


def concat(g: GraphBuilder, parts: list, axis: int) -> Value:
    """Concatenation, done now when every part is a constant."""
    if all(p.is_const for p in parts):
        return constant(np.concatenate([np.asarray(p.const) for p in parts], axis=axis))
    return parts[0] if len(parts) == 1 else g.op("Concat", parts, axis=axis)


def layer_weights(g: GraphBuilder, fn: Any, layer: int, order: list[int]) -> tuple:
    """(W, R, B) of one layer in ONNX's layout, both directions stacked on axis 0."""
    W, R, B = [], [], []
    for suffix in ("", "_reverse")[: 2 if fn.bidirectional else 1]:

        def param(kind: str, suffix: str = suffix) -> Value | None:
            return g.tensor(getattr(fn, f"{kind}_l{layer}{suffix}", None))

        W.append(gate_blocks(g, param("weight_ih"), order))
        R.append(gate_blocks(g, param("weight_hh"), order))
        if fn.bias:
            B.append(concat(g, [gate_blocks(g, param("bias_ih"), order),
                                gate_blocks(g, param("bias_hh"), order)], axis=1))  # fmt: skip
    return concat(g, W, 0), concat(g, R, 0), concat(g, B, 0) if B else None


def _state_slice(g: GraphBuilder, state: Value | None, layer: int, D: int) -> Value | None:
    """Layer ``layer``'s (D, N, H) part of an initial state (num_layers * D, N, H)."""
    if state is None:
        return None
    return g.op("Slice", [state, g.ints([layer * D]), g.ints([(layer + 1) * D]), g.ints([0])])


@converts(layers.RNN, layers.LSTM, layers.GRU)
def recurrent(g: GraphBuilder, fn: Any, xs: list, meta: tuple) -> tuple:
    kind = (
        "LSTM" if isinstance(fn, layers.LSTM) else "GRU" if isinstance(fn, layers.GRU) else "RNN"
    )
    x, states = xs[0], list(xs[1:])  # (h_0,) or, for the LSTM, (h_0, c_0); None: zeros
    unbatched = len(x.shape) == 2
    if unbatched:  # (T, H_in) -> (T, 1, H_in); states (L * D, H) -> (L * D, 1, H)
        x = g.unsqueeze(x, [1])
        states = [None if s is None else g.unsqueeze(s, [1]) for s in states]
    elif fn.batch_first:
        x = g.op("Transpose", [x], perm=[1, 0, 2])
    D, H = (2 if fn.bidirectional else 1), fn.hidden_size
    attrs: dict = {"hidden_size": H, "direction": "bidirectional" if D == 2 else "forward"}
    if kind == "GRU":
        attrs["linear_before_reset"] = 1
    if kind == "RNN":
        attrs["activations"] = ["Relu" if fn.nonlinearity == "relu" else "Tanh"] * D
    finals: list[list] = [[] for _ in states]
    for layer in range(fn.num_layers):
        W, R, B = layer_weights(g, fn, layer, GATE_ORDER[kind])
        initial = [_state_slice(g, s, layer, D) for s in states]
        outs = g.op(kind, [x, W, R, B, None, *initial], n_out=1 + len(states), **attrs)
        Y, last = outs[0], outs[1:]
        # (T, D, N, H) -> (T, N, D * H): the next layer's input
        x = g.op("Reshape", [g.op("Transpose", [Y], perm=[0, 2, 1, 3]), g.ints([0, 0, -1])])
        for final, value in zip(finals, last):
            final.append(value)
    finals_v = [concat(g, f, 0) for f in finals]
    if unbatched:
        x = g.squeeze(x, [1])
        finals_v = [g.squeeze(f, [1]) for f in finals_v]
    elif fn.batch_first:
        x = g.op("Transpose", [x], perm=[1, 0, 2])
    return (x, *finals_v)
