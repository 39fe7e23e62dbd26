"""``RNN``: the Elman network, ``h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`` (or ReLU)."""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn.layers.rnn_base import RNNBase, hidden_weight_grad, time_steps


class RNN(RNNBase):
    """Multi-layer Elman RNN: ``h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)``, act tanh or
    relu. ``output, h_n = rnn(input, h_0)``; h_0 defaults to zeros.

    Shape: input (L, N, H_in) ((N, L, H_in) with ``batch_first``; unbatched (L, H_in));
    h_0, h_n (num_layers * D, N, H); output (L, N, D * H); weight_ih_l{k} (H, H_in or D * H),
    weight_hh_l{k} (H, H), biases (H,).
    """

    gates = 1

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device, dtype)  # fmt: skip
        self.nonlinearity = nonlinearity

    def _direction_forward(self, x: Array, W_ih: Array, W_hh: Array, b_ih: Array | None,
                           b_hh: Array | None, states: list, reverse: bool,
                           caching: bool) -> tuple:  # fmt: skip
        xp = get_backend(x).xp
        (h0,) = states
        Y = x @ W_ih.T  # (T, B, H): the input part of every step; overwritten by the h_t
        if b_ih is not None:
            Y += b_ih + b_hh
        relu = self.nonlinearity == "relu"
        h = h0
        for t in time_steps(Y.shape[0], reverse):
            a = Y[t]
            a += h @ W_hh.T
            h = xp.maximum(a, 0, out=a) if relu else xp.tanh(a, out=a)
        return Y, (h,), ((Y, h0, reverse) if caching else None)

    def _direction_backward(self, x: Array, cache: Any, dy: Array, dfinals: list, W_ih: Array,
                            W_hh: Array, need_dx: bool, need_dstates: bool) -> tuple:  # fmt: skip
        Y, h0, reverse = cache
        xp = get_backend(x).xp
        relu = self.nonlinearity == "relu"
        (dh,) = dfinals
        dA = xp.empty_like(Y)
        steps = time_steps(Y.shape[0], not reverse)
        last = steps[-1]
        for t in steps:
            h, da = Y[t], dA[t]
            xp.add(dy[t], dh, out=da)
            if relu:
                da *= h != 0  # y >= 0 or NaN: NaN passes, as threshold_backward
            else:
                da *= 1 - h * h
            if t != last or need_dstates:
                dh = da @ W_hh
        dA2 = dA.reshape(-1, Y.shape[-1])
        dW_ih = dA2.T @ x.reshape(-1, x.shape[-1])
        dW_hh = hidden_weight_grad(dA, Y, h0, reverse)
        db = dA2.sum(axis=0)
        dx = dA @ W_ih if need_dx else None
        return dx, ((dh,) if need_dstates else (None,)), (dW_ih, dW_hh, db, db.copy())

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else s + ", nonlinearity='relu'"
