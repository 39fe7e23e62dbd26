"""``RNNCell``, ``LSTMCell``, ``GRUCell``: one time step of a recurrent network, PyTorch's
parameters (``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh``) and gate orders.

A cell is a Layer called once per step by a loop the user writes, ``for t in range(T): h, c =
cell(x[t], (h, c))``; every call is its own record on the graph, so backpropagation through
that loop is the engine's sum over the calls. Per step, forward is two GEMMs (``x @ W_ih.T``,
``h @ W_hh.T``) and backward four (``dx``, ``dh``, ``dW_ih``, ``dW_hh``), the rest elementwise;
the gradient GEMMs of inputs that need none are skipped. A missing initial state is zeros and
gets no gradient, as in PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

from minitorch.autograd import Function
from minitorch.backend import Array, get_backend
from minitorch.nn import hooks, init
from minitorch.nn.input_checks import check_call_inputs
from minitorch.nn.layer import Layer
from minitorch.nn.layers.rnn_base import sigmoid_
from minitorch.nn.parameter import Parameter, empty_param


class RNNCellBase(Layer):
    """What the cells share: parameters ``weight_ih`` (G*H, H_in), ``weight_hh`` (G*H, H),
    ``bias_ih``, ``bias_hh`` (G*H,), all U(-1/sqrt(H), 1/sqrt(H)); input and state checks.

    Shape: input (N, H_in) or unbatched (H_in,); each state (N, H) or (H,).
    """

    gates = 1  # gate blocks stacked in the weights: RNNCell 1, GRUCell 3, LSTMCell 4

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        for arg, value in (("input_size", input_size), ("hidden_size", hidden_size)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(
                    f"{type(self).__name__}: {arg} must be an integer >= 1, got {value!r}"
                )
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        G = self.gates * hidden_size
        self.weight_ih = Parameter(empty_param((G, input_size), device, dtype))
        self.weight_hh = Parameter(empty_param((G, hidden_size), device, dtype))
        if bias:
            self.bias_ih = Parameter(empty_param((G,), device, dtype))
            self.bias_hh = Parameter(empty_param((G,), device, dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def __call__(self, input: Any, hx: Any = None) -> Any:  # noqa: A002
        # always two inputs, so backward's (dx, dhx) matches however the cell was called
        return Layer.__call__(self, input, hx)

    def reset_parameters(self) -> None:
        """Every weight and bias from U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as PyTorch."""
        bound = 1 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def _check(self, x: Array, states: tuple, labels: tuple) -> tuple:
        """``(x, states, unbatched, given)``: input and states as a batch (N, ...), missing states
        as zeros, whether ``x`` was unbatched and which states were given; raises on a wrong
        rank, size or dtype."""
        name = type(self).__name__
        if not hasattr(x, "ndim") or x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            raise ValueError(
                f"{name}(input_size={self.input_size}) expects input (N, {self.input_size}) or "
                f"unbatched ({self.input_size},), got {tuple(getattr(x, 'shape', ()))}"
            )
        if x.dtype != self.weight_ih.dtype:
            raise TypeError(
                f"{name}: input dtype {x.dtype} differs from weight dtype "
                f"{self.weight_ih.dtype}; convert the input with .to({self.weight_ih.dtype}) "
                "or the cell with .to(dtype)"
            )
        unbatched = x.ndim == 1
        if unbatched:
            x = x[None]
        want = (self.hidden_size,) if unbatched else (x.shape[0], self.hidden_size)
        xp = get_backend(x).xp
        batched_states = []
        for s, label in zip(states, labels):
            if s is None:
                batched_states.append(xp.zeros((x.shape[0], self.hidden_size), x.dtype))
                continue
            if s.shape != want:
                raise ValueError(f"{name}: expected {label} of shape {want}, got {s.shape}")
            if s.dtype != x.dtype:
                raise TypeError(f"{name}: {label} dtype {s.dtype} differs from input {x.dtype}")
            batched_states.append(s[None] if unbatched else s)
        return x, batched_states, unbatched, tuple(s is not None for s in states)

    def _pre_activations(self, x: Array, h: Array) -> Array:
        """``x @ W_ih.T + b_ih + h @ W_hh.T + b_hh`` (N, G*H): two GEMMs, one new array."""
        a = x @ self.weight_ih.array.T
        a += h @ self.weight_hh.array.T
        if self.bias:
            a += self.bias_ih.array
            a += self.bias_hh.array
        return a

    def _add_grads(self, da: Array, x: Array, h: Array, da_h: Array | None = None) -> None:
        """Parameter gradients from the pre-activation gradients ``da`` (N, G*H); ``da_h`` is
        the part fed by ``h @ W_hh.T + b_hh`` when it differs (GRU's n gate)."""
        da_h = da if da_h is None else da_h
        self.add_grad(self.weight_ih, da.T @ x)
        self.add_grad(self.weight_hh, da_h.T @ h)
        if self.bias:
            self.add_grad(self.bias_ih, da.sum(axis=0))
            self.add_grad(self.bias_hh, da_h.sum(axis=0))

    def _input_grads(self, da: Array, unbatched: bool, given: tuple,
                     da_h: Array | None = None) -> tuple:  # fmt: skip
        """``(dx, dh)`` from ``da``, each None when its input needs none (or was not given)."""
        need = self.needs_input_grad
        dx = da @ self.weight_ih.array if need[0] else None
        da_h = da if da_h is None else da_h
        dh = da_h @ self.weight_hh.array if given[0] and need[1] else None
        return _squeezed(dx, unbatched), _squeezed(dh, unbatched)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        return s if self.bias else s + ", bias=False"


def _squeezed(a: Array | None, unbatched: bool) -> Array | None:
    return a[0] if unbatched and a is not None else a


def _batched(a: Array | None, unbatched: bool) -> Array | None:
    return a[None] if unbatched and a is not None else a


class RNNCell(RNNCellBase):
    """Elman cell: ``h' = act(W_ih x + b_ih + W_hh h + b_hh)``, act ``tanh`` or ``relu``.
    ``h' = cell(input, hx=None)``; hx defaults to zeros.

    Shape: input (N, H_in) or (H_in,); hx, h' (N, H) or (H,).
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(
                f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}"
            )
        super().__init__(input_size, hidden_size, bias, device, dtype)
        self.nonlinearity = nonlinearity

    def forward(self, x: Array, hx: Array | None = None) -> Array:
        x, (h,), unbatched, given = self._check(x, (hx,), ("hx",))
        y = self._pre_activations(x, h)
        xp = get_backend(y).xp
        y = xp.maximum(y, 0, out=y) if self.nonlinearity == "relu" else xp.tanh(y, out=y)
        self.save_for_backward(x, h, y, unbatched, given)
        return _squeezed(y, unbatched)

    def backward(self, dy: Array) -> tuple:
        x, h, y, unbatched, given = self.saved
        dy = _batched(dy, unbatched)
        da = dy * (y != 0) if self.nonlinearity == "relu" else dy * (1 - y * y)
        self._add_grads(da, x, h)
        return self._input_grads(da, unbatched, given)

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else f"{s}, nonlinearity={self.nonlinearity}"


class LSTMCell(RNNCellBase):
    """LSTM cell, PyTorch's gate order (i, f, g, o): with ``a = W_ih x + b_ih + W_hh h + b_hh``,
    ``i, f, o = sigmoid(a_i, a_f, a_o)``, ``g = tanh(a_g)``, ``c' = f * c + i * g``,
    ``h' = o * tanh(c')``. ``h', c' = cell(input, (h, c))``; the states default to zeros.

    On arrays: ``forward(x, h=None, c=None) -> (h', c')``, ``backward(dh', dc') -> (dx, dh,
    dc)``.

    Shape: input (N, H_in) or (H_in,); h, c, h', c' (N, H) or (H,).
    """

    gates = 4

    def __call__(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        if self._hooks is None:
            return self._call(input, hx)
        return hooks.call_with_hooks(self, self._call, (input, hx), {})

    def _call(self, input: Any, hx: Any) -> tuple:  # noqa: A002
        if hx is None:
            hx = (None, None)
        elif not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise TypeError(f"LSTMCell: hx must be a tuple (h, c), got {type(hx).__name__}")
        check_call_inputs(self, (input, *hx))
        return Function.__call__(self, input, *hx)

    def forward(self, x: Array, h: Array | None = None, c: Array | None = None) -> tuple:
        x, (h, c), unbatched, given = self._check(x, (h, c), ("h", "c"))
        H = self.hidden_size
        a = self._pre_activations(x, h)  # becomes the gate values i, f, g, o
        sigmoid_(a[:, : 2 * H])
        get_backend(a).xp.tanh(a[:, 2 * H : 3 * H], out=a[:, 2 * H : 3 * H])
        sigmoid_(a[:, 3 * H :])
        i, f, g, o = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        c_new = f * c
        c_new += i * g
        tc = get_backend(a).xp.tanh(c_new)
        h_new = o * tc
        self.save_for_backward(x, h, c, a, tc, unbatched, given)
        return _squeezed(h_new, unbatched), _squeezed(c_new, unbatched)

    def backward(self, dh: Array | None, dc: Array | None = None) -> tuple:
        x, h, c, a, tc, unbatched, given = self.saved
        xp = get_backend(a).xp
        H = self.hidden_size
        dh = xp.zeros_like(tc) if dh is None else _batched(dh, unbatched)
        i, f, g, o = a[:, :H], a[:, H : 2 * H], a[:, 2 * H : 3 * H], a[:, 3 * H :]
        dc_total = 1 - tc * tc  # through h' = o * tanh(c')
        dc_total *= o
        dc_total *= dh
        if dc is not None:
            dc_total += _batched(dc, unbatched)
        da = xp.empty_like(a)
        xp.multiply(dc_total, g, out=da[:, :H])  # d i
        xp.multiply(dc_total, c, out=da[:, H : 2 * H])  # d f
        xp.multiply(dc_total, i, out=da[:, 2 * H : 3 * H])  # d g
        xp.multiply(dh, tc, out=da[:, 3 * H :])  # d o
        slope = a - a * a  # the sigmoids' s (1 - s); the tanh block gets 1 - g^2
        slope[:, 2 * H : 3 * H] = 1 - g * g
        da *= slope
        self._add_grads(da, x, h)
        dx, dh_prev = self._input_grads(da, unbatched, given)
        dc_prev = None
        if given[1] and self.needs_input_grad[2]:
            dc_prev = _squeezed(dc_total * f, unbatched)
        return dx, dh_prev, dc_prev


class GRUCell(RNNCellBase):
    """GRU cell, PyTorch's gate order (r, z, n): ``r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)``,
    ``z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)``, ``n = tanh(W_in x + b_in + r * (W_hn h +
    b_hn))``, ``h' = (1 - z) * n + z * h``. ``h' = cell(input, hx=None)``.

    Shape: input (N, H_in) or (H_in,); hx, h' (N, H) or (H,).
    """

    gates = 3

    def forward(self, x: Array, hx: Array | None = None) -> Array:
        x, (h,), unbatched, given = self._check(x, (hx,), ("hx",))
        xp, H = get_backend(x).xp, self.hidden_size
        ax = x @ self.weight_ih.array.T  # (N, 3H): becomes r, z, n
        ah = h @ self.weight_hh.array.T
        if self.bias:
            ax += self.bias_ih.array
            ah += self.bias_hh.array
        rz = ax[:, : 2 * H]
        rz += ah[:, : 2 * H]
        sigmoid_(rz)
        r, z, n, hn = ax[:, :H], ax[:, H : 2 * H], ax[:, 2 * H :], ah[:, 2 * H :]
        n += r * hn
        xp.tanh(n, out=n)
        y = h - n
        y *= z
        y += n  # h' = n + z * (h - n)
        self.save_for_backward(x, h, ax, hn, unbatched, given)
        return _squeezed(y, unbatched)

    def backward(self, dy: Array) -> tuple:
        x, h, ax, hn, unbatched, given = self.saved
        xp, H = get_backend(ax).xp, self.hidden_size
        dy = _batched(dy, unbatched)
        r, z, n = ax[:, :H], ax[:, H : 2 * H], ax[:, 2 * H :]
        dax = xp.empty_like(ax)  # gradients of the parts fed by W_ih x + b_ih ...
        dah = xp.empty_like(ax)  # ... and by W_hh h + b_hh (they differ in the n block)
        dan = dax[:, 2 * H :]
        xp.multiply(dy * (1 - z), 1 - n * n, out=dan)
        xp.multiply(dan * hn, r * (1 - r), out=dax[:, :H])
        xp.multiply(dy * (h - n), z * (1 - z), out=dax[:, H : 2 * H])
        dah[:, : 2 * H] = dax[:, : 2 * H]
        xp.multiply(dan, r, out=dah[:, 2 * H :])
        self._add_grads(dax, x, h, dah)
        dx, dh = self._input_grads(dax, unbatched, given, dah)
        if dh is not None:
            dh += _squeezed(dy * z, unbatched)  # h' = ... + z * h directly
        return dx, dh
