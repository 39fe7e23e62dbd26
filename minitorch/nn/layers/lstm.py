"""``LSTM``: long short-term memory, PyTorch's gate order (i, f, g, o) and parameters.

The kernel works on gate-permuted arrays: per step the gates are one contiguous (B, 4H) block
``x_t W_ih^T + h W_hh^T + b`` ordered (i, f, o, g), each step's block contiguous in the
(T, B, 4H) input projection that one GEMM computes for all steps, so the three sigmoid gates
are adjacent columns and one tanh covers all four. The weights are permuted (and the sigmoid
rows halved) once per call.
"""

from __future__ import annotations

from typing import Any

from minitorch.backend import Array, get_backend
from minitorch.nn.layers.rnn_base import RNNBase, hidden_weight_grad, time_steps

_ORDER = [0, 1, 3, 2]  # PyTorch's gate blocks (i, f, g, o) in the kernel's order; self-inverse


def _gate_blocks(W: Array, H: int) -> Array:
    """A copy of ``W`` (4H, ...) with its gate blocks in the other order (either way round)."""
    return W.reshape(4, H, *W.shape[1:])[_ORDER].reshape(W.shape)


def _halved_gates(W: Array, H: int) -> Array:
    """The kernel's forward weights: permuted, with the sigmoid rows halved, because
    ``sigmoid(a) = tanh(a / 2) / 2 + 1/2`` lets one tanh cover all four gates (exactly)."""
    W = _gate_blocks(W, H)
    W[: 3 * H] *= 0.5
    return W


def _gate_columns(xp: Any, dtype: Any, H: int, *pairs: tuple) -> list:
    """Per pair (sigmoid value, tanh value) a (4H,) row: the first on the three sigmoid gates'
    columns, the second on the tanh gate's (the kernel's order i, f, o, g)."""
    return [xp.asarray([sig] * (3 * H) + [tanh] * H, dtype=dtype) for sig, tanh in pairs]


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
        if not isinstance(proj_size, int) or isinstance(proj_size, bool) or proj_size < 0:
            raise ValueError(
                f"LSTM: proj_size must be an integer >= 0 (0 disables projections), got "
                f"{proj_size!r}"
            )
        super().__init__(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, device, dtype)  # fmt: skip
        if proj_size >= hidden_size:
            raise ValueError(
                f"LSTM: proj_size ({proj_size}) has to be smaller than hidden_size ({hidden_size})"
            )
        if proj_size > 0:
            raise NotImplementedError(
                f"LSTM: projected hidden states (proj_size={proj_size} > 0) are not "
                "implemented; use proj_size=0"
            )
        self.proj_size = proj_size

    def _direction_forward(self, x: Array, W_ih: Array, W_hh: Array, b_ih: Array | None,
                           b_hh: Array | None, states: list, reverse: bool,
                           caching: bool) -> tuple:  # fmt: skip
        xp = get_backend(x).xp
        (T, B, I), H = x.shape, W_hh.shape[1]
        h, c = states  # (B, H)
        W_hh_k = xp.ascontiguousarray(_halved_gates(W_hh, H).T)  # (H, 4H)
        # every step's input part in one GEMM: (T, B, 4H), each step a contiguous block
        A = (xp.ascontiguousarray(x).reshape(T * B, I) @ _halved_gates(W_ih, H).T).reshape(
            T, B, 4 * H
        )
        if b_ih is not None:
            A += _halved_gates(b_ih + b_hh, H)
        Y = xp.empty((T, B, H), x.dtype)  # the outputs h_t
        n_cells = T if caching else 2  # without a cache two cell buffers take turns
        C = xp.empty((n_cells, B, H), x.dtype)  # cell states
        TC = xp.empty((n_cells, B, H), x.dtype)  # their tanh
        hw, ig = xp.empty((B, 4 * H), x.dtype), xp.empty((B, H), x.dtype)  # per-step scratch
        # tanh(a/2) -> sigmoid(a) = tanh(a/2) / 2 + 1/2 on the sigmoid columns, as two passes
        # over whole rows (x * 1 + -0.0 is x exactly on the tanh columns): 1.6x faster than
        # the same two passes on the strided (B, 3H) slice
        scale, shift = _gate_columns(xp, x.dtype, H, (0.5, 1.0), (0.5, -0.0))
        for n, t in enumerate(time_steps(T, reverse)):
            a = A[t]  # becomes the gate values, which backward reads
            a += xp.matmul(h, W_hh_k, out=hw)
            xp.tanh(a, out=a)
            a *= scale
            a += shift
            i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
            k = t if caching else n % 2
            c = xp.multiply(f, c, out=C[k])
            c += xp.multiply(i, g, out=ig)
            tc = xp.tanh(c, out=TC[k])
            h = xp.multiply(o, tc, out=Y[t])
        cache = (A, C, TC, Y, states[0], states[1], reverse) if caching else None
        return Y, (h, c), cache

    def _direction_backward(self, x: Array, cache: Any, dy: Array, dfinals: list, W_ih: Array,
                            W_hh: Array, need_dx: bool, need_dstates: bool) -> tuple:  # fmt: skip
        A, C, TC, Y, h0, c0, reverse = cache
        xp = get_backend(x).xp
        (T, B, G), H = A.shape, W_hh.shape[1]
        W_hh_k = _gate_blocks(W_hh, H)  # (4H, H)
        dh, dc = dfinals[0].copy(), dfinals[1].copy()  # (B, H), updated in place
        dA = xp.empty((T, B, G), A.dtype)  # gradients of the pre-activations, a block a step
        tmp = xp.empty_like(dh)
        gate_grad = xp.empty((B, G), A.dtype)
        minuend, offset = _gate_columns(xp, A.dtype, H, (1.0, 0.0), (0.0, 1.0))
        steps = time_steps(T, not reverse)  # forward's order, backwards
        last = steps[-1]
        for t in steps:
            a, tc, da = A[t], TC[t], dA[t]
            i, f, o, g = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
            c_prev = c0 if t == last else C[t + 1 if reverse else t - 1]
            dh += dy[t]
            xp.multiply(tc, tc, out=tmp)
            xp.subtract(1, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp  # through h = o * tanh(c)
            xp.multiply(dc, g, out=gate_grad[:, :H])  # d(i)
            xp.multiply(dc, c_prev, out=gate_grad[:, H : 2 * H])  # d(f)
            xp.multiply(dh, tc, out=gate_grad[:, 2 * H : 3 * H])  # d(o)
            xp.multiply(dc, i, out=gate_grad[:, 3 * H :])  # d(g)
            # the activations' slopes from their values, (minuend - a) * a + offset over whole
            # rows: (1 - s) s on the sigmoid columns, 1 - g^2 on the tanh ones
            xp.subtract(minuend, a, out=da)
            da *= a
            da += offset
            da *= gate_grad
            dc *= f
            if t != last or need_dstates:
                xp.matmul(da, W_hh_k, out=dh)
        dA2 = dA.reshape(T * B, G)
        dW_ih = dA2.T @ xp.ascontiguousarray(x).reshape(T * B, x.shape[2])
        dW_hh = hidden_weight_grad(dA, Y, h0, reverse)
        db = _gate_blocks(dA2.sum(axis=0), H)
        dx = (dA2 @ _gate_blocks(W_ih, H)).reshape(T, B, W_ih.shape[1]) if need_dx else None
        dstates = (dh, dc) if need_dstates else (None, None)
        grads = (
            _gate_blocks(dW_ih, H),
            _gate_blocks(dW_hh, H),
            db,
            db.copy(),
        )  # two parameters: two arrays
        return dx, dstates, grads
