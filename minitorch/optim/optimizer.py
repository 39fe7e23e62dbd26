"""``Optimizer``: parameter groups with their own hyper-parameters, per-parameter state.

A subclass supplies three things: ``_hyper(group)`` (the group's options as keyword arguments),
``_init_state(x, group)`` (fresh state for a parameter array ``x``) and ``update``, a function

    update(xp, param, grad, state, scratch, **hyper) -> None

that changes ``param`` and the arrays in ``state`` in place. ``scratch(i)`` is the ``i``-th
workspace array shaped like ``param`` (same dtype and device); its contents are garbage on entry.
Each optimizer module also keeps a plain-``xp`` ``*_reference`` form of its update, the
specification that the in-place form is tested against.

``step`` hands each parameter's update to the parameter's backend, through the hook that
``_backend_update(backend)`` names: ``Backend.optimizer_update`` by default, which runs ``update``
(over cache-sized pieces on the NumPy backend), and ``Backend.sgd_update``, ``adam_update``, ...
for the built-in optimizers, so that a backend can replace one of them with a fused kernel (a CuPy
``ElementwiseKernel``) by overriding that one method.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.autograd import Tensor, enable_grad, no_grad, versions, zero_grads
from minitorch.backend import Array, Backend, get_backend, move
from minitorch.optim.checks import check_loaded_group, check_loaded_state


class _Required:
    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class: ``step()`` updates parameters in place from their ``.grad``.

    ``params`` is an iterable of Parameters or of dicts ``{"params": [...], **options}`` whose
    options override the defaults for that group.
    """

    update: Callable[..., None]

    def __init__(self, params: Iterable[Any], defaults: dict) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Tensor, dict] = {}
        self.param_groups: list[dict] = []
        # (backend, dtype) -> flat workspace arrays, shared by the parameters updated in turn
        self._workspace: dict[tuple, list] = {}
        name = type(self).__name__
        if isinstance(params, Tensor):
            raise TypeError(
                f"{name} expects an iterable of Parameters (e.g. model.parameters()), "
                "got a single Tensor; wrap it in a list"
            )
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{name} needs its parameters in an ordered collection (a list), got a set"
            )
        groups = list(params)
        if not groups:
            raise ValueError(f"{name} got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict) -> None:
        """Add a group of parameters with its own options (unset options take the defaults)."""
        name = type(self).__name__
        if not isinstance(param_group, dict):
            raise TypeError(
                f"{name}: a parameter group must be a dict, got {type(param_group).__name__}"
            )
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, (set, frozenset)):
            raise TypeError(
                f"{name} needs its parameters in an ordered collection (a list), got a set"
            )
        params = [params] if isinstance(params, Tensor) else list(params)
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{name} can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(
                    f"{name} can't optimize a non-leaf Tensor (one computed from others); "
                    "optimize the leaves it came from, or .detach() it and set requires_grad"
                )
        if len({id(p) for p in params}) != len(params):
            raise ValueError(f"{name}: a parameter appears twice in one parameter group")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError(f"{name}: some parameters appear in more than one parameter group")
        group["params"] = params
        for key, default in self.defaults.items():
            if default is required and key not in group:
                raise ValueError(f"{name}: parameter group didn't specify {key!r}")
            group.setdefault(key, default)
        if group["lr"] < 0:
            raise ValueError(f"{name}: invalid learning rate {group['lr']} (must be >= 0)")
        self._validate(group)
        self.param_groups.append(group)

    def _validate(self, group: dict) -> None:
        """Subclasses check their hyper-parameters here (for every group)."""

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: ``grad = None`` (default) or fill them with zeros."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    # --- the update ----------------------------------------------------------------------------
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One update of every parameter that has a gradient; ``closure`` re-evaluates the loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                hyper = self._hyper(group)
                for p in group["params"]:
                    if p._grad is None:
                        continue
                    x = writable_array(p)
                    state = self.state.get(p)
                    if not state:
                        state = self.state[p] = self._init_state(x, group)
                    else:
                        follow(state, x)
                    self._apply_update(p, x, state, hyper)
        return loss

    def _apply_update(self, p: Tensor, x: Array, state: dict, hyper: dict) -> None:
        """Hand one parameter's update to its backend (see ``Backend.optimizer_update``)."""
        backend = get_backend(x)
        # A fused kernel stands in for the class's own update only: an instance whose ``update``
        # was replaced (``opt.update = opt.reference``) runs that function as it is.
        own = "update" not in self.__dict__
        run = self._backend_update(backend) if own else backend.optimizer_update
        workspace = self._workspace.get((backend, x.dtype))
        if workspace is None:
            workspace = self._workspace[(backend, x.dtype)] = []
        # NumPy arithmetic on 0-d arrays returns NumPy scalars, so a 0-d gradient may arrive as
        # one; an update that builds state from it (SGD's momentum buffer ``= g.copy()``) would
        # keep an immutable scalar that its in-place steps (``buf *= momentum``) never change.
        grad = p._grad.array
        if not isinstance(grad, backend.xp.ndarray):
            grad = backend.asarray(grad)
        run(self.update, x, grad, state, hyper, workspace)

    def _backend_update(self, backend: Backend) -> Callable[..., None]:
        """The backend method that runs this optimizer's ``update``; each built-in optimizer
        names its own hook (``backend.sgd_update``, ...) so that a backend can fuse it."""
        return backend.optimizer_update

    def _hyper(self, group: dict) -> dict:
        """The group's options as keyword arguments of ``update``."""
        raise NotImplementedError

    def _init_state(self, x: Array, group: dict) -> dict:
        """State for a parameter array ``x`` before its first update."""
        return {}

    # --- state dicts ---------------------------------------------------------------------------
    def state_dict(self) -> dict:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}`` as PyTorch.

        Arrays are returned as Tensors sharing memory with the optimizer's state (as PyTorch);
        copy them to keep a snapshot.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if self.state.get(p):
                    state[index[id(p)]] = {k: _export(v) for k, v in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore state, all or nothing: the groups' options and every state entry are checked
        first; arrays are copied onto each parameter's device (floats in its dtype)."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has {len(groups)} parameter group(s), the optimizer has "
                f"{len(self.param_groups)}"
            )
        for saved, group in zip(groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"loaded state dict has a group of {len(saved['params'])} parameters where "
                    f"the optimizer's group has {len(group['params'])}"
                )
        by_index = {}
        for saved, group in zip(groups, self.param_groups):
            by_index.update(zip(saved["params"], group["params"]))
        name = type(self).__name__
        new_groups = []
        for i, (saved, group) in enumerate(zip(groups, self.param_groups)):
            check_loaded_group(name, i, group, saved)
            new_groups.append({**group, **{k: v for k, v in saved.items() if k != "params"}})
            self._validate(new_groups[-1])
        new_state = {}
        for key, values in state_dict["state"].items():
            param = by_index.get(int(key))
            if param is None:
                raise ValueError(
                    f"optimizer state refers to parameter index {key}, which no group has"
                )
            check_loaded_state(name, key, param.shape, values)
            new_state[param] = {f: _to_param(v, param.array) for f, v in values.items()}
        self.state = new_state  # nothing changed until here: a bad state dict is refused whole
        for new, group in zip(new_groups, self.param_groups):
            group.update(new)

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"


def writable_array(p: Tensor) -> Array:
    """``p.array``, made an array that in-place updates can change: a 0-d parameter that holds a
    NumPy scalar (immutable; what NumPy's 0-d arithmetic returns) is given a 0-d array with the
    same value first, as updates change parameters in place. The write is counted in the
    array's version (``autograd.versions``): a graph that saved it raises at backward."""
    x = p.array
    backend = get_backend(x)
    if not isinstance(x, backend.xp.ndarray):
        p.array = x = backend.asarray(x)
    versions.bump(x)
    return x


def _export(value: Any) -> Any:
    """A state value as ``state_dict`` gives it: arrays (also in lists, as LBFGS's history) as
    Tensors sharing their memory."""
    if isinstance(value, list):
        return [_export(v) for v in value]
    return Tensor(value) if hasattr(value, "shape") and not isinstance(value, Tensor) else value


def _to_param(value: Any, x: Array) -> Any:
    """Optimizer state follows its parameter array ``x``: same device; floating arrays in its
    dtype (also in lists). Plain numbers (``step``) stay as they are."""
    if isinstance(value, list):
        return [_to_param(v, x) for v in value]
    if isinstance(value, Tensor):
        value = value.array
    if not hasattr(value, "shape"):
        return value
    dtype = x.dtype if value.dtype.kind == "f" else None
    return move(value, get_backend(x), dtype, copy=True)


def follow(state: dict, x: Array) -> None:
    """Move state arrays (also in lists) to ``x``'s device and dtype if the parameter moved
    (``model.to(...)``)."""
    for key, value in state.items():
        if isinstance(value, list):
            if any(_moved(v, x) for v in value):
                state[key] = _to_param(value, x)
        elif _moved(value, x):
            state[key] = _to_param(value, x)


def _moved(value: Any, x: Array) -> bool:
    return hasattr(value, "shape") and (
        type(value) is not type(x) or value.dtype != x.dtype or value.device != x.device
    )


# --- small in-place building blocks shared by the updates ---------------------------------------
def grad_with_decay_(xp: Any, x: Array, grad: Array, weight_decay: float, maximize: bool,
                     out: Array | None) -> Array:  # fmt: skip
    """``g = (-grad if maximize else grad) + weight_decay * x``, written into ``out`` only when it
    differs from ``grad`` (``out`` may be None otherwise; the caller's ``grad`` is never
    modified)."""
    if weight_decay != 0:
        xp.multiply(x, weight_decay, out=out)
        (xp.subtract if maximize else xp.add)(out, grad, out=out)
        return out
    if maximize:
        return xp.negative(grad, out=out)
    return grad


def lerp_(xp: Any, a: Array, b: Array, weight: float, tmp: Array) -> None:
    """``a += weight * (b - a)`` in place, evaluated as ``torch.lerp`` does (two forms,
    chosen by ``|weight| < 0.5``)."""
    xp.subtract(b, a, out=tmp)
    if abs(weight) < 0.5:
        tmp *= weight
        a += tmp
    else:
        tmp *= 1.0 - weight
        xp.subtract(b, tmp, out=a)


def lerp(a: Array, b: Array, weight: float) -> Array:
    """Reference form of ``lerp_`` (allocates)."""
    return a + weight * (b - a) if abs(weight) < 0.5 else b - (b - a) * (1.0 - weight)
