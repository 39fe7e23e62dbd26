"""``GRU``: gated recurrent unit, PyTorch's gate order (r, z, n) and parameters."""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn.layers.rnn_base import RNNBase, hidden_weight_grad, sigmoid_, time_steps


class GRU(RNNBase):
    r"""Multi-layer GRU, as PyTorch: ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``,
    ``z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)``, ``n = tanh(W_in x + b_in + r * (W_hn h +
    b_hn))``, ``h' = (1 - z) * n + z * h``. ``output, h_n = gru(input, h_0)``.

    Shape: input (L, N, H_in) ((N, L, H_in) with ``batch_first``; unbatched (L, H_in));
    h_0, h_n (num_layers * D, N, H); output (L, N, D * H); weight_ih_l{k} (3H, H_in or D * H),
    weight_hh_l{k} (3H, H), biases (3H,).
    """

    gates = 3

    def _direction_forward(self, x: Array, W_ih: Array, W_hh: Array, b_ih: Array | None,
                           b_hh: Array | None, states: list, reverse: bool,
                           caching: bool) -> tuple:  # fmt: skip
        xp = get_backend(x).xp
        (T, B, _), H = x.shape, W_hh.shape[1]
        (h0,) = states
        A = x @ W_ih.T  # (T, B, 3H): input parts of every step; becomes r, z, n
        b_hn = None
        if b_ih is not None:
            A += b_ih
            A[..., : 2 * H] += b_hh[: 2 * H]  # b_hn stays inside r * (...)
            b_hn = b_hh[2 * H :]
        Y = xp.empty((T, B, H), x.dtype)
        HN = xp.empty((T, B, H), x.dtype) if caching else None  # W_hn h + b_hn per step
        h = h0
        for t in time_steps(T, reverse):
            a = A[t]
            hw = h @ W_hh.T
            rz = a[:, : 2 * H]
            rz += hw[:, : 2 * H]
            sigmoid_(rz)
            r, z, n = a[:, :H], a[:, H : 2 * H], a[:, 2 * H :]
            hn = hw[:, 2 * H :]
            if b_hn is not None:
                hn += b_hn
            n += r * hn
            xp.tanh(n, out=n)
            y = Y[t]
            xp.subtract(h, n, out=y)
            y *= z
            y += n  # h' = n + z * (h - n)
            h = y
            if caching:
                HN[t] = hn
        return Y, (h,), ((A, HN, Y, h0, reverse) if caching else None)

    def _direction_backward(self, x: Array, cache: Any, dy: Array, dfinals: list, W_ih: Array,
                            W_hh: Array, need_dx: bool, need_dstates: bool) -> tuple:  # fmt: skip
        A, HN, Y, h0, reverse = cache
        xp = get_backend(x).xp
        T, H = A.shape[0], W_hh.shape[1]
        (dh,) = dfinals
        dAh = xp.empty_like(A)  # gradients of the pre-activations fed by W_hh h + b_hh
        dAx = xp.empty_like(A)  # ... and by W_ih x + b_ih (they differ in the n block only)
        steps = time_steps(T, not reverse)
        last = steps[-1]
        for t in steps:
            r, z, n = A[t, :, :H], A[t, :, H : 2 * H], A[t, :, 2 * H :]
            h_prev = h0 if t == last else Y[t + 1 if reverse else t - 1]
            dh = dy[t] + dh
            dan = dAx[t, :, 2 * H :]
            xp.multiply(dh * (1 - z), 1 - n * n, out=dan)
            dah = dAh[t]
            xp.multiply(dan, r, out=dah[:, 2 * H :])
            xp.multiply(dan * HN[t], r * (1 - r), out=dah[:, :H])
            xp.multiply(dh * (h_prev - n), z * (1 - z), out=dah[:, H : 2 * H])
            if t != last or need_dstates:
                dh = dh * z + dah @ W_hh
        dAx[..., : 2 * H] = dAh[..., : 2 * H]
        dAx2, dAh2 = dAx.reshape(-1, 3 * H), dAh.reshape(-1, 3 * H)
        dW_ih = dAx2.T @ x.reshape(-1, x.shape[-1])
        dW_hh = hidden_weight_grad(dAh, Y, h0, reverse)
        dx = dAx @ W_ih if need_dx else None
        dstates = (dh,) if need_dstates else (None,)
        return dx, dstates, (dW_ih, dW_hh, dAx2.sum(axis=0), dAh2.sum(axis=0))
