"""``LSTM``: long short-term memory, PyTorch's gate order (i, f, g, o) and parameters."""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn.layers.rnn_base import RNNBase, hidden_weight_grad, sigmoid_, time_steps


class LSTM(RNNBase):
    r"""Multi-layer LSTM. Per step, with ``a = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh`` split
    into four blocks: ``i, f, o = sigmoid(a_i, a_f, a_o)``, ``g = tanh(a_g)``,
    ``c_t = f * c_{t-1} + i * g``, ``h_t = o * tanh(c_t)``.

    ``output, (h_n, c_n) = lstm(input, (h_0, c_0))``; the states default to zeros.

    Shape: input (L, N, H_in) ((N, L, H_in) with ``batch_first``; unbatched (L, H_in));
    h_0, c_0, h_n, c_n (num_layers * D, N, H); output (L, N, D * H); weight_ih_l{k} (4H, H_in
    or D * H), weight_hh_l{k} (4H, H), biases (4H,).
    """

    gates = 4
    has_cell = True

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        if proj_size != 0:
            raise ValueError(f"LSTM: proj_size is not supported, got {proj_size}; use 0")
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device, dtype)  # fmt: skip

    def _direction_forward(self, x: Array, W_ih: Array, W_hh: Array, b_ih: Array | None,
                           b_hh: Array | None, states: list, reverse: bool,
                           caching: bool) -> tuple:  # fmt: skip
        xp = get_backend(x).xp
        (T, B, _), H = x.shape, W_hh.shape[1]
        h0, c0 = states
        A = x @ W_ih.T  # (T, B, 4H) pre-activations of every step at once; becomes the gates
        if b_ih is not None:
            A += b_ih + b_hh
        Y = xp.empty((T, B, H), x.dtype)
        C = xp.empty((T, B, H), x.dtype) if caching else None  # cell states
        TC = xp.empty((T, B, H), x.dtype) if caching else None  # tanh of the cell states
        h, c = h0, c0
        for t in time_steps(T, reverse):
            a = A[t]
            a += h @ W_hh.T
            sigmoid_(a[:, : 2 * H])
            xp.tanh(a[:, 2 * H : 3 * H], out=a[:, 2 * H : 3 * H])
            sigmoid_(a[:, 3 * H :])
            i, f, g, o = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
            c = f * c
            c += i * g
            tc = xp.tanh(c)
            h = xp.multiply(o, tc, out=Y[t])
            if caching:
                C[t], TC[t] = c, tc
        cache = (A, C, TC, Y, h0, c0, reverse) if caching else None
        return Y, (h, c), cache

    def _direction_backward(self, x: Array, cache: Any, dy: Array, dfinals: list, W_ih: Array,
                            W_hh: Array, need_dx: bool, need_dstates: bool) -> tuple:  # fmt: skip
        A, C, TC, Y, h0, c0, reverse = cache
        xp = get_backend(x).xp
        T, H = A.shape[0], W_hh.shape[1]
        dA = xp.empty_like(A)
        dh, dc = dfinals
        steps = time_steps(T, not reverse)  # forward's order, backwards
        last = steps[-1]
        for t in steps:
            i, f, g, o = A[t, :, :H], A[t, :, H : 2 * H], A[t, :, 2 * H : 3 * H], A[t, :, 3 * H :]
            tc = TC[t]
            c_prev = c0 if t == last else C[t + 1 if reverse else t - 1]
            dh = dy[t] + dh
            dc = dc + dh * o * (1 - tc * tc)
            da = dA[t]
            # d(pre-activation) = d(gate) * gate'(pre-activation), gate' from the gate value
            xp.multiply(dc * g, i * (1 - i), out=da[:, :H])
            xp.multiply(dc * c_prev, f * (1 - f), out=da[:, H : 2 * H])
            xp.multiply(dc * i, 1 - g * g, out=da[:, 2 * H : 3 * H])
            xp.multiply(dh * tc, o * (1 - o), out=da[:, 3 * H :])
            dc = dc * f
            if t != last or need_dstates:
                dh = da @ W_hh
        G = 4 * H
        dA2 = dA.reshape(-1, G)
        dW_ih = dA2.T @ x.reshape(-1, x.shape[-1])
        dW_hh = hidden_weight_grad(dA, Y, h0, reverse)
        db = dA2.sum(axis=0)
        dx = dA @ W_ih if need_dx else None
        dstates = (dh, dc) if need_dstates else (None, None)
        return dx, dstates, (dW_ih, dW_hh, db, db)
