"""The ``Backend`` interface: one object per device that owns the array module and RNG."""

from __future__ import annotations

import math
from typing import Any, Callable

from minitorch.backend.devices import device

Array = Any  # a numpy.ndarray or a cupy.ndarray


class Backend:
    """What layers and optimizers ask of a device: ``xp`` for array math plus the few ops that
    differ.

    Subclasses override a method only where the device needs something else (or measured faster).
    """

    name: str = "?"
    xp: Any = None
    device: device

    # --- arrays -------------------------------------------------------------------------------
    def asarray(self, data: Any, dtype: Any = None) -> Array:
        """``data`` (array, list, scalar) as an array on this device, copied only if needed."""
        return self.xp.asarray(data, dtype=dtype)

    def to_host(self, x: Array) -> Any:
        """A NumPy array with the contents of ``x``."""
        raise NotImplementedError

    def from_host(self, x: Any) -> Array:
        """Copy a NumPy array onto this device."""
        raise NotImplementedError

    def owns(self, x: Array) -> bool:
        """True when ``x`` is an array that lives on this backend's device."""
        raise NotImplementedError

    def pin_memory(self, host_array: Any) -> Any:
        """``host_array`` in page-locked host memory, from which this device copies fastest
        (``DataLoader(pin_memory=True)``); the array unchanged where there is none to use."""
        return host_array

    def synchronize(self) -> None:
        """Wait until queued work on this device is done (no-op where work is synchronous)."""

    def empty_cache(self) -> None:
        """Hand cached, unused device memory back to the driver (no-op without a cache)."""

    # --- ops that differ between array libraries -----------------------------------------------
    def matmul(self, a: Array, b: Array) -> Array:
        """``a @ b`` for 2-D operands (a backend may pick a faster memory order for the result)."""
        return a @ b

    def rows_matmul(self, a: Array, b: Array) -> Array:
        """``a @ b`` for ``a`` (*, k) and a 2-D ``b`` (k, m) as one 2-D product over all of
        ``a``'s rows -> (*, m). NumPy's matmul would run one GEMM per leading index: a (32, 128,
        256) input times a (256, 1024) weight took 11.1 ms that way and 7.6 ms as one GEMM."""
        lead = a.shape[:-1]
        rows = math.prod(lead)  # explicit: -1 is ambiguous when a size is 0
        return (a.reshape(rows, a.shape[-1]) @ b).reshape(*lead, b.shape[1])

    def einsum(self, equation: str, *operands: Array) -> Array:
        """``xp.einsum`` with explicit subscripts (NumPy's needs ``optimize`` to use BLAS)."""
        return self.xp.einsum(equation, *operands)

    def relu(self, x: Array) -> Array:
        """``maximum(x, 0)`` in ``x``'s dtype (NaN stays NaN, -0.0 becomes 0.0)."""
        return self.xp.maximum(x, 0)

    def sigmoid(self, x: Array, out: Array | None = None) -> Array:
        """``1 / (1 + exp(-x))`` (into ``out``, which may be ``x``): accurate to the last digits
        in both tails, where ``(1 + tanh(x/2)) / 2`` loses them all below about -17; an
        ``exp(-x)`` that overflows to inf gives the right limit, 0."""
        xp = self.xp
        y = xp.negative(x, out=xp.empty_like(x) if out is None else out)  # an array, even 0-d
        xp.exp(y, out=y)
        y += 1
        return xp.reciprocal(y, out=y)

    def scatter_add(self, target: Array, index: Any, values: Array) -> None:
        """``target[index] += values`` with repeated indices summed (not last-write-wins)."""
        raise NotImplementedError

    def erf(self, x: Array) -> Array:
        """The error function, elementwise, in ``x``'s dtype (GELU needs it; NumPy has none)."""
        raise NotImplementedError

    def erfc(self, x: Array) -> Array:
        """``1 - erf(x)``, elementwise, accurate where erf is near 1 (``torch.erfc``)."""
        raise NotImplementedError

    def elementwise_chunks(self, size: int, itemsize: int) -> list | None:
        """Slices that split a long elementwise chain into cache-sized pieces, or None to run it
        over the whole array at once (the default; right for GPUs)."""
        return None

    def piece_groups(self, pieces: list) -> list[list]:
        """``pieces`` as the groups ``run_groups`` runs side by side (default: one group)."""
        return [pieces]

    def run_groups(self, fn: Callable[[int, list], Any], groups: list[list]) -> list:
        """``[fn(g, group) for g, group in enumerate(groups)]``; a CPU backend may run the
        groups on several threads (``parallel.py``), so ``fn`` must touch only its group's
        slices. Default: one after another."""
        return [fn(g, group) for g, group in enumerate(groups)]

    # --- optimizer updates ----------------------------------------------------------------------
    # One hook per built-in optimizer, each with ``optimizer_update``'s signature and by default
    # running it; a backend fuses one optimizer's update by overriding that one method.
    def sgd_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                   hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.SGD``'s step; ``hyper``: lr, momentum, dampening, weight_decay, nesterov,
        maximize; state: ``momentum_buffer`` (made by the first step with momentum). Default:
        ``optimizer_update``; a backend may override it with a fused kernel (see there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def adam_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                    hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.Adam``'s and ``optim.AdamW``'s step; ``hyper``: lr, beta1, beta2, eps,
        weight_decay, amsgrad, maximize, decoupled_weight_decay; state: ``step``, ``exp_avg``,
        ``exp_avg_sq`` (``max_exp_avg_sq`` with amsgrad). Default: ``optimizer_update``; a
        backend may override it with a fused kernel (see there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def rmsprop_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                       hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.RMSprop``'s step; ``hyper``: lr, alpha, eps, weight_decay, momentum, centered,
        maximize; state: ``step``, ``square_avg`` (``momentum_buffer``, ``grad_avg`` when used).
        Default: ``optimizer_update``; a backend may override it with a fused kernel (see
        there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def adagrad_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                       hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.Adagrad``'s step; ``hyper``: lr, lr_decay, weight_decay, eps, maximize;
        state: ``step``, ``sum``. Default: ``optimizer_update``; a backend may override it with a
        fused kernel (see there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def adadelta_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                        hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.Adadelta``'s step; ``hyper``: lr, rho, eps, weight_decay, maximize; state:
        ``step``, ``square_avg``, ``acc_delta``. Default: ``optimizer_update``; a backend may
        override it with a fused kernel (see there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def adamax_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                      hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.Adamax``'s step; ``hyper``: lr, beta1, beta2, eps, weight_decay, maximize;
        state: ``step``, ``exp_avg``, ``exp_inf``. Default: ``optimizer_update``; a backend may
        override it with a fused kernel (see there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def nadam_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                     hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.NAdam``'s step; ``hyper``: lr, beta1, beta2, eps, weight_decay,
        momentum_decay, decoupled_weight_decay, maximize; state: ``step``, ``mu_product`` (a
        number), ``exp_avg``, ``exp_avg_sq``. Default: ``optimizer_update``; a backend may
        override it with a fused kernel (see there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def radam_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                     hyper: dict, workspace: list) -> None:  # fmt: skip
        """``optim.RAdam``'s step; ``hyper``: lr, beta1, beta2, eps, weight_decay,
        decoupled_weight_decay, maximize; state: ``step``, ``exp_avg``, ``exp_avg_sq``.
        Default: ``optimizer_update``; a backend may override it with a fused kernel (see
        there)."""
        self.optimizer_update(update, x, grad, state, hyper, workspace)

    def optimizer_update(self, update: Callable[..., None], x: Array, grad: Array, state: dict,
                         hyper: dict, workspace: list) -> None:  # fmt: skip
        """One optimizer step for one parameter array ``x`` with gradient ``grad``: runs
        ``update(self.xp, x, grad, state, scratch, **hyper)``, the optimizer's plain ``xp``
        update (the reference for any fused form), which changes ``x`` and the arrays in
        ``state`` in place (and may add arrays to ``state`` or reassign its numbers, ``step``).
        ``hyper`` is the parameter group's options as ``update``'s keyword arguments.

        ``Optimizer.step`` calls this for optimizers of its own, and the optimizer's own hook
        (``sgd_update``, ``adam_update``, ``rmsprop_update``, ``adagrad_update``,
        ``adadelta_update``, ``adamax_update``, ``nadam_update``, ``radam_update``) for the
        built-in ones. Those hooks run this method unless a backend overrides one, which is how
        a backend fuses one optimizer's update (a CuPy ``ElementwiseKernel``, say)::

            class CupyBackend(Backend):
                def adam_update(self, update, x, grad, state, hyper, workspace):
                    if hyper["amsgrad"]:  # a case the kernel leaves to the plain update
                        return super().adam_update(update, x, grad, state, hyper, workspace)
                    state["step"] += 1
                    adam_kernel(grad, ..., x, state["exp_avg"], state["exp_avg_sq"])

        An override must leave ``x`` and ``state`` as ``update`` would (to rounding); tests run
        it against the plain ``update``.

        ``workspace`` is a list of flat arrays the caller keeps for this device and dtype
        between calls; ``scratch(i)`` is a view of its ``i``-th, shaped like ``x`` and grown as
        needed (contents garbage on entry), so steps allocate nothing once the state exists.

        Where ``elementwise_chunks`` says so (the NumPy backend, for large parameters) the update
        runs over cache-sized slices of the flat arrays, spread over ``run_groups``' threads
        (each group's slices one after another): the same numbers bit for bit, since an update
        is elementwise. State arrays a piece creates are gathered
        into whole ones; numbers in the state take the last piece's value.
        """
        pieces = self.elementwise_chunks(x.size, x.dtype.itemsize)
        if pieces is None or not _contiguous_alike(x, grad, state):
            update(self.xp, x, grad, state, _scratch(self.xp, workspace, x), **hyper)
            return
        flat = {k: v.reshape(-1) if hasattr(v, "shape") else v for k, v in state.items()}
        x1, g1 = x.reshape(-1), grad.reshape(-1)
        groups = self.piece_groups(pieces)

        def run(g: int, parts: list) -> list:
            """Group ``g``'s pieces in turn, on scratch arrays of its own (``_scratch``)."""
            states = []
            for part in parts:
                piece_state = {k: v[part] if hasattr(v, "shape") else v for k, v in flat.items()}
                x_part = x1[part]
                scratch = _scratch(self.xp, workspace, x_part, g, len(groups))
                update(self.xp, x_part, g1[part], piece_state, scratch, **hyper)
                states.append(piece_state)
            return states

        piece_states = [ps for group in self.run_groups(run, groups) for ps in group]
        created: dict[str, Array] = {}
        if len(piece_states[0]) != len(flat):  # the update made state arrays (a first step)
            for part, piece_state in zip(pieces, piece_states):
                for key, value in piece_state.items():
                    if key not in flat and getattr(value, "shape", None) == x1[part].shape:
                        if key not in created:
                            created[key] = self.xp.empty(x.size, dtype=value.dtype)
                        created[key][part] = value
        for key, value in piece_states[-1].items():
            if key in created:
                state[key] = created[key].reshape(x.shape)
            elif key not in flat or not hasattr(value, "shape"):
                state[key] = value

    # --- random numbers -------------------------------------------------------------------------
    def seed(self, seed: int) -> None:
        raise NotImplementedError

    def get_rng_state(self) -> Any:
        raise NotImplementedError

    def set_rng_state(self, state: Any) -> None:
        raise NotImplementedError

    def standard_normal(self, shape: tuple, dtype: Any) -> Array:
        raise NotImplementedError

    def uniform(self, shape: tuple, dtype: Any) -> Array:
        """Uniform on [0, 1)."""
        raise NotImplementedError

    def integers(self, low: int, high: int, shape: tuple) -> Array:
        raise NotImplementedError

    def bernoulli_mask(self, keep: float, shape: tuple, dtype: Any) -> Array:
        """An array of 0/1 in ``dtype``, each 1 with probability ``keep``."""
        return (self.uniform(shape, dtype) < keep).astype(dtype, copy=False)

    def permutation(self, n: int) -> Array:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.device})"


def _scratch(xp: Any, workspace: list, x: Array, group: int = 0,
             groups: int = 1) -> Callable[[int], Array]:  # fmt: skip
    """``scratch(i)``: the ``i``-th workspace array as a view shaped like ``x`` (same dtype).

    With ``groups`` pieces running side by side each needs scratch of its own: group ``g``'s
    ``i``-th array is the workspace's ``i * groups + g``-th.
    """

    def scratch(i: int) -> Array:
        i = i * groups + group
        while len(workspace) <= i:
            workspace.append(None)
        if workspace[i] is None or workspace[i].size < x.size:
            workspace[i] = xp.empty(x.size, dtype=x.dtype)
        return workspace[i][: x.size].reshape(x.shape)

    return scratch


def _contiguous_alike(x: Array, grad: Array, state: dict) -> bool:
    """True when the parameter, its gradient and every state array are C-contiguous and of one
    shape, so that slices of their flat views line up element for element."""
    arrays = [grad, *(v for v in state.values() if hasattr(v, "shape"))]
    return x.flags.c_contiguous and all(
        a.shape == x.shape and a.flags.c_contiguous for a in arrays
    )
