"""L-BFGS on the flattened parameters, with an optional strong-Wolfe line search."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from minitorch.autograd import Tensor, enable_grad
from minitorch.backend import Array, get_backend
from minitorch.optim.line_search import strong_wolfe
from minitorch.optim.optimizer import Optimizer, follow, writable_array


class LBFGS(Optimizer):
    """Limited-memory BFGS (Nocedal, 1980), as ``torch.optim.LBFGS`` (itself after minFunc):
    each ``step(closure)`` runs up to ``max_iter`` quasi-Newton iterations on the parameters
    seen as one flat vector, the direction from the last ``history_size`` curvature pairs by
    the two-loop recursion, the step ``lr`` (scaled down on the very first iteration) or, with
    ``line_search_fn="strong_wolfe"``, a step meeting the strong Wolfe conditions. Stops early
    after ``max_eval`` loss evaluations, when the gradient's largest entry falls to
    ``tolerance_grad``, or when the step or the loss changes by less than
    ``tolerance_change``.

    ``closure()`` must clear the gradients, compute the loss, call ``backward()`` and return the
    loss; it is called several times per step. Only one parameter group (as PyTorch), all on one
    device. State (PyTorch's keys, held under the first parameter): ``func_evals``, ``n_iter``,
    ``d``, ``t``, ``old_dirs``, ``old_stps``, ``ro``, ``al``, ``H_diag``, ``prev_flat_grad``,
    ``prev_loss``. Unlike PyTorch, a ``line_search_fn`` other than None or ``"strong_wolfe"``
    is refused here rather than at the first step.

    Shape: the history holds ``2 * history_size`` flat arrays of all parameters' elements.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1, max_iter: int = 20,
                 max_eval: int | None = None, tolerance_grad: float = 1e-7,
                 tolerance_change: float = 1e-9, history_size: int = 100,
                 line_search_fn: str | None = None) -> None:  # fmt: skip
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = dict(lr=lr, max_iter=max_iter, max_eval=max_eval,
                        tolerance_grad=tolerance_grad, tolerance_change=tolerance_change,
                        history_size=history_size, line_search_fn=line_search_fn)  # fmt: skip
        super().__init__(params, defaults)
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, param_group: dict) -> None:
        if self.param_groups:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        super().add_param_group(param_group)

    def _validate(self, group: dict) -> None:
        if group["line_search_fn"] not in (None, "strong_wolfe"):
            raise ValueError(
                f"LBFGS: line_search_fn must be None or 'strong_wolfe', "
                f"got {group['line_search_fn']!r}"
            )
        for key in ("max_iter", "max_eval"):
            value = group[key]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 1:
                raise ValueError(f"LBFGS: {key} must be at least 1, got {group[key]!r}")
        if not isinstance(group["history_size"], int) or group["history_size"] < 1:
            raise ValueError(
                f"LBFGS: history_size must be a positive integer, got {group['history_size']!r}"
            )

    # --- the parameters as one flat vector -----------------------------------------------------
    def _gather_flat_grad(self) -> Array:
        xp = get_backend(self._params[0].array).xp
        views = [
            xp.zeros(p.array.size, dtype=p.array.dtype) if p._grad is None
            else xp.asarray(p._grad.array).reshape(-1)
            for p in self._params
        ]  # fmt: skip
        return xp.concatenate(views)

    def _add_grad(self, step_size: Any, update: Array) -> None:
        """``params += step_size * update`` (``update`` flat)."""
        offset = 0
        for p in self._params:
            x = writable_array(p)
            x += step_size * update[offset : offset + x.size].reshape(x.shape)
            offset += x.size

    def _directional_evaluate(self, closure: Callable, x: list, t: Any,
                              d: Array) -> tuple[float, Array]:  # fmt: skip
        """Loss and flat gradient at ``x + t * d``; the parameters are put back to ``x``."""
        self._add_grad(t, d)
        with enable_grad():
            loss = float(closure())
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x):
            p.array[...] = saved
        return loss, flat_grad

    # --- the step ------------------------------------------------------------------------------
    def step(self, closure: Callable[[], Any]) -> Any:  # type: ignore[override]
        """Up to ``max_iter`` L-BFGS iterations; returns the loss ``closure`` gave first."""
        if closure is None or not callable(closure):
            raise TypeError(
                "LBFGS.step needs a closure that clears the gradients, computes the loss, "
                "calls backward() and returns the loss"
            )
        group = self.param_groups[0]
        lr, max_iter, max_eval = float(group["lr"]), group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        history_size = group["history_size"]

        # LBFGS's state is global; PyTorch files it under the first parameter
        state = self.state.setdefault(self._params[0], {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        with enable_grad():
            orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1

        flat_grad = self._gather_flat_grad()
        if flat_grad.size == 0:
            raise ValueError("LBFGS: the parameters have no elements to optimize")
        follow(state, flat_grad)
        opt_cond = abs(flat_grad).max() <= tolerance_grad
        if opt_cond:  # already optimal
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag = state.get("H_diag")  # noqa: N806
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1

            # the descent direction
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1  # noqa: N806
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y @ s
                if ys > 1e-10:  # keep the curvature pair (the oldest goes when full)
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / (y @ y)  # noqa: N806  (scale of the initial inverse Hessian)
                if "al" not in state:
                    state["al"] = [None] * history_size
                d = _two_loop(flat_grad, old_dirs, old_stps, ro, H_diag, state["al"])

            if prev_flat_grad is None:
                prev_flat_grad = flat_grad.copy()
            else:
                prev_flat_grad[...] = flat_grad
            prev_loss = loss

            # the step length
            t = min(1.0, 1.0 / abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad @ d  # directional derivative
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if group["line_search_fn"] is not None:
                x_init = [p.array.copy() for p in self._params]

                def obj_func(x: list, t: Any, d: Array) -> tuple[float, Array]:
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)  # a fixed step
                if n_iter != max_iter:  # no re-evaluation after the last iteration
                    with enable_grad():
                        loss = float(closure())
                    flat_grad = self._gather_flat_grad()
                    opt_cond = abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break  # no progress

        xp = get_backend(flat_grad).xp
        state.update(d=d, t=_scalar(xp, t), old_dirs=old_dirs, old_stps=old_stps,
                     ro=[_scalar(xp, r) for r in ro], H_diag=_scalar(xp, H_diag),
                     prev_flat_grad=prev_flat_grad, prev_loss=prev_loss)  # fmt: skip
        if "al" in state:
            state["al"] = [None if a is None else _scalar(xp, a) for a in state["al"]]
        return orig_loss


def _two_loop(flat_grad: Array, old_dirs: list, old_stps: list, ro: list, H_diag: Any,  # noqa: N803
              al: list) -> Array:  # fmt: skip
    """``-H @ flat_grad`` for the L-BFGS inverse-Hessian approximation ``H`` from the pairs
    ``(s, y) = (old_stps[i], old_dirs[i])``, ``ro[i] = 1 / (y @ s)``, and ``H_0 = H_diag * I``;
    ``al`` receives the first loop's coefficients (kept in the state, as PyTorch).

    Shape: ``flat_grad`` (n,) -> (n,).
    """
    q = -flat_grad
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = (old_stps[i] @ q) * ro[i]
        q += -al[i] * old_dirs[i]
    r = q * H_diag
    for i in range(len(old_dirs)):
        be_i = (old_dirs[i] @ r) * ro[i]
        r += (al[i] - be_i) * old_stps[i]
    return r


def _scalar(xp: Any, value: Any) -> Any:
    """Numbers computed from arrays (NumPy scalars) as 0-d arrays, as PyTorch's 0-d tensors;
    Python numbers stay."""
    if isinstance(value, Tensor):
        return value.array
    return xp.asarray(value) if hasattr(value, "shape") else value
