"""``RNNBase``: what RNN, LSTM and GRU share (parameters, layers, directions, dropout, shapes).

Each recurrent Layer is *one* recorded call however long the sequence: ``forward`` runs every
layer and direction over time on arrays, caching per-step gates, and ``backward`` is
backpropagation through time written out. A subclass supplies a single-layer single-direction
kernel (``_direction_forward`` / ``_direction_backward``, time-major arrays); this class stacks
it into layers and directions. For every direction the input projection ``x @ W_ih.T`` of the
whole sequence is one GEMM, and so are ``dW_ih``, ``dW_hh`` and ``dx`` in backward; only
``h @ W_hh.T`` (and its gradient) runs once per step.

A little over 300 lines: the stacking of layers and directions for RNN, LSTM and GRU is one
algorithm (the per-direction kernels live in rnn.py, lstm.py and gru.py).
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

from minitorch.autograd import Function, is_anomaly_enabled
from minitorch.backend import Array, get_backend
from minitorch.nn import hooks, init
from minitorch.nn.layer import Layer, check_call_inputs
from minitorch.nn.parameter import Parameter, empty_param


def sigmoid_(a: Array) -> Array:
    """``a = 1 / (1 + exp(-a))`` in place, as ``(1 + tanh(a/2)) / 2`` (never overflows)."""
    a *= 0.5
    get_backend(a).xp.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a


def time_steps(T: int, reverse: bool) -> range:
    """The order in which a direction visits the time steps."""
    return range(T - 1, -1, -1) if reverse else range(T)


def hidden_weight_grad(dA: Array, Y: Array, h0: Array, reverse: bool) -> Array:
    """``sum_t dA[t].T @ h_prev[t]``: two GEMMs over all steps, no per-step work.

    ``dA`` (T, B, gates*H) are the gradients of the pre-activations that ``h_prev @ W_hh.T``
    fed; ``h_prev`` is ``h0`` at the first visited step and the previous output otherwise.
    """
    T, B, G = dA.shape
    H = Y.shape[-1]
    early, late = slice(None, -1), slice(1, None)
    now, before = (early, late) if reverse else (late, early)
    first = -1 if reverse else 0
    dW = dA[now].reshape(-1, G).T @ Y[before].reshape(-1, H)
    dW += dA[first].T @ h0
    return dW


class RNNBase(Layer):
    """Multi-layer, optionally bidirectional recurrent network (the shared machinery).

    Called as a Module: ``output, h_n = rnn(input, h_0)`` (LSTM: ``output, (h_n, c_n)``).
    On arrays: ``forward(x, h0=None[, c0=None])`` returns ``(output, h_n[, c_n])`` and
    ``backward(dy, dh_n[, dc_n])`` returns ``(dx, dh0[, dc0])``.

    Shape: input (L, N, H_in), or (N, L, H_in) with ``batch_first``, or unbatched (L, H_in);
    h_0 (num_layers * D, N, H_out) or (num_layers * D, H_out); output (L, N, D * H_out) (batch
    first likewise); D = 2 if bidirectional else 1.
    """

    gates = 1  # gate blocks stacked in W_ih and W_hh: RNN 1, GRU 3, LSTM 4
    has_cell = False  # LSTM carries a cell state beside the hidden state

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        name = type(self).__name__
        for arg, value, low in (("input_size", input_size, 1), ("hidden_size", hidden_size, 1),
                                ("num_layers", num_layers, 1)):  # fmt: skip
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise ValueError(f"{name}: {arg} must be an integer >= {low}, got {value!r}")
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1:
            raise ValueError(f"{name}: dropout must be a number in [0, 1], got {dropout!r}")
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                f"{name}: dropout={dropout} acts between layers only, so it does nothing with "
                "num_layers=1", stacklevel=2,
            )  # fmt: skip
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first = bias, batch_first
        self.dropout, self.bidirectional = float(dropout), bidirectional
        D = 2 if bidirectional else 1
        G = self.gates * hidden_size
        self._names = []  # per (layer, direction): its four parameter names, PyTorch's order
        for layer in range(num_layers):
            in_size = input_size if layer == 0 else hidden_size * D
            for suffix in ("", "_reverse")[:D]:
                names = [f"weight_ih_l{layer}{suffix}", f"weight_hh_l{layer}{suffix}",
                         f"bias_ih_l{layer}{suffix}", f"bias_hh_l{layer}{suffix}"]  # fmt: skip
                shapes = [(G, in_size), (G, hidden_size), (G,), (G,)]
                for n, shape in zip(names[: 4 if bias else 2], shapes):
                    setattr(self, n, Parameter(empty_param(shape, device, dtype)))
                self._names.append(names if bias else names[:2] + [None, None])
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
        bound = 1 / math.sqrt(self.hidden_size)  # PyTorch: every weight U(-1/sqrt(H), 1/sqrt(H))
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def flatten_parameters(self) -> None:
        """Does nothing, as there is nothing to do: PyTorch packs the weights into one cuDNN
        buffer here; minitorch's weights are already contiguous arrays its kernels use as they
        are. Kept so PyTorch programs that call it (often after ``.to(device)``) run unchanged.
        """

    def _params(self, k: int) -> list:
        """Layer-direction ``k``'s (W_ih, W_hh, b_ih, b_hh) Parameters (biases may be None)."""
        return [None if n is None else getattr(self, n) for n in self._names[k]]

    # --- called as a Module ---------------------------------------------------------------------
    def __call__(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        check_call_inputs(self, (input,))
        if self._hooks is None and not is_anomaly_enabled():
            return self._record(input, hx)
        args = (input,) if hx is None else (input, hx)
        return hooks.call_with_hooks(self, self._record, args, {})

    def _record(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        """The recorded call: (h_0, c_0) unpacked into separate inputs of one node."""
        if not self.has_cell:
            return Function.__call__(self, input, hx)
        if hx is None:
            h0 = c0 = None
        elif isinstance(hx, (tuple, list)) and len(hx) == 2:
            h0, c0 = hx
        else:
            raise TypeError(
                f"{type(self).__name__}: hx must be a tuple (h_0, c_0), got {type(hx).__name__}"
            )
        y, h_n, c_n = Function.__call__(self, input, h0, c0)
        return y, (h_n, c_n)

    # --- forward on arrays ----------------------------------------------------------------------
    def forward(self, x: Array, h0: Array | None = None, c0: Array | None = None) -> tuple:
        x, states, unbatched = self._check_inputs(x, h0, c0)
        xp, backend = get_backend(x).xp, get_backend(x)
        T, B = x.shape[:2]
        H, D, L = self.hidden_size, 2 if self.bidirectional else 1, self.num_layers
        states = [xp.zeros((L * D, B, H), x.dtype) if s is None else s for s in states]
        finals = [xp.empty((L * D, B, H), x.dtype) for _ in states]
        caching = self.caching
        cache = []
        for layer in range(L):
            outs, dir_caches = [], []
            for d in range(D):
                k = layer * D + d
                W_ih, W_hh, b_ih, b_hh = [None if p is None else p.array for p in self._params(k)]
                y, last, c = self._direction_forward(
                    x, W_ih, W_hh, b_ih, b_hh, [s[k] for s in states], d == 1, caching
                )
                for final, value in zip(finals, last):
                    final[k] = value
                outs.append(y)
                dir_caches.append(c)
            y = outs[0] if D == 1 else xp.concatenate(outs, axis=-1)
            mask = None
            if self.dropout > 0 and self.training and layer < L - 1:
                keep = 1.0 - self.dropout
                mask = backend.bernoulli_mask(keep, y.shape, y.dtype)
                if keep > 0:
                    mask *= 1 / keep
                y = y * mask
            cache.append((x, dir_caches, mask))
            x = y
        self.save_for_backward(cache, unbatched)
        if unbatched:
            y, finals = y[:, 0], [f[:, 0] for f in finals]
        elif self.batch_first:
            y = y.swapaxes(0, 1)
        return (y, *finals)

    def _check_inputs(self, x: Array, h0: Array | None, c0: Array | None) -> tuple:
        name = type(self).__name__
        if not hasattr(x, "ndim") or x.ndim not in (2, 3) or x.shape[-1] != self.input_size:
            layout = "(N, L, H_in)" if self.batch_first else "(L, N, H_in)"
            raise ValueError(
                f"{name}(input_size={self.input_size}) expects input {layout} or unbatched "
                f"(L, H_in) with H_in={self.input_size}, got {tuple(getattr(x, 'shape', ()))}"
            )
        weight = self.weight_ih_l0
        if x.dtype != weight.dtype:
            raise TypeError(
                f"{name}: input dtype {x.dtype} differs from weight dtype {weight.dtype}; "
                f"convert the input with .to({weight.dtype}) or the model with .to(dtype)"
            )
        given, unbatched = x, x.ndim == 2
        if unbatched:
            x = x[:, None]
        elif self.batch_first:
            x = x.swapaxes(0, 1)
        if x.shape[0] == 0:  # as PyTorch ("Expected sequence length to be larger than 0")
            raise ValueError(
                f"{name}: expected a sequence of length >= 1, got length 0 (input of shape "
                f"{tuple(given.shape)}, batch_first={self.batch_first})"
            )
        D = 2 if self.bidirectional else 1
        expected = (self.num_layers * D, x.shape[1], self.hidden_size)
        if not self.has_cell and c0 is not None:
            raise TypeError(f"{name}: takes one initial state h_0, got a cell state as well")
        states = [h0, c0] if self.has_cell else [h0]
        for i, (s, label) in enumerate(zip(states, ("h_0", "c_0"))):
            if s is None:
                continue
            want = expected[::2] if unbatched else expected
            if s.shape != want:
                raise ValueError(
                    f"{name}: expected {label} of shape {want} (num_layers * num_directions, "
                    f"{'' if unbatched else 'batch, '}hidden_size), got {tuple(s.shape)}"
                )
            if s.dtype != x.dtype:
                raise TypeError(
                    f"{name}: {label} dtype {s.dtype} differs from input dtype {x.dtype}"
                )
            states[i] = s[:, None] if unbatched else s
        return x, states, unbatched

    # --- backpropagation through time -----------------------------------------------------------
    def backward(self, dy: Array, dh_n: Array | None = None, dc_n: Array | None = None) -> tuple:
        cache, unbatched = self.saved
        xp = get_backend(dy).xp
        H, D = self.hidden_size, 2 if self.bidirectional else 1
        if unbatched:
            dy = dy[:, None]
        elif self.batch_first:
            dy = dy.swapaxes(0, 1)
        T, B = dy.shape[:2]
        dfinals = [dh_n, dc_n] if self.has_cell else [dh_n]
        dfinals = [
            xp.zeros((self.num_layers * D, B, H), dy.dtype) if g is None
            else (g[:, None] if unbatched else g)
            for g in dfinals
        ]  # fmt: skip
        dstates = [xp.empty_like(g) for g in dfinals]
        need_states = [self.needs_input_grad[1 + i] for i in range(len(dstates))]
        dx = None
        for layer in reversed(range(self.num_layers)):
            x, dir_caches, _ = cache[layer]
            need_dx = layer > 0 or self.needs_input_grad[0]
            dx = None
            for d in range(D):
                k = layer * D + d
                params = self._params(k)
                W_ih, W_hh = params[0].array, params[1].array
                dyd = dy if D == 1 else dy[..., d * H : (d + 1) * H]
                dxd, dfirst, grads = self._direction_backward(
                    x, dir_caches[d], dyd, [g[k] for g in dfinals], W_ih, W_hh, need_dx,
                    any(need_states),
                )  # fmt: skip
                for p, g in zip(params, grads):
                    self.add_grad(p, g)
                for ds, value in zip(dstates, dfirst):
                    if value is not None:
                        ds[k] = value
                if dx is None:
                    dx = dxd
                elif dxd is not None:
                    dx += dxd
            if layer > 0:
                mask = cache[layer - 1][2]
                dy = dx if mask is None else dx * mask
        if dx is not None:
            dx = dx[:, 0] if unbatched else (dx.swapaxes(0, 1) if self.batch_first else dx)
        dstates = [
            (s[:, 0] if unbatched else s) if need else None
            for s, need in zip(dstates, need_states)
        ]  # fmt: skip
        return (dx, *dstates)

    # --- the single-layer single-direction kernel a subclass supplies ----------------------------
    def _direction_forward(self, x: Array, W_ih: Array, W_hh: Array, b_ih: Array | None,
                           b_hh: Array | None, states: list, reverse: bool,
                           caching: bool) -> tuple:  # fmt: skip
        """Run one direction of one layer over time-major ``x`` (T, B, H_in).

        Returns ``(output (T, B, H), [final state per state], cache)``.
        """
        raise NotImplementedError

    def _direction_backward(self, x: Array, cache: Any, dy: Array, dfinals: list, W_ih: Array,
                            W_hh: Array, need_dx: bool, need_dstates: bool) -> tuple:  # fmt: skip
        """One direction's gradients: ``(dx or None, [d initial states], [dW_ih, dW_hh, db_ih,
        db_hh])``; adds nothing itself (the caller adds into the parameters' grads)."""
        raise NotImplementedError

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s
