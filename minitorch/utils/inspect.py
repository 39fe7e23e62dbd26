"""``GradientMonitor``: how much gradient each layer of a model receives, step by step.

Attached through the public hooks only (a forward pre-hook on the model, forward hooks on its
layers and activations, ``Tensor.register_hook`` on parameters and layer outputs), it records
per step and per layer with parameters: the gradient norm of each parameter, the norm of the
gradient flowing into the layer's output (the error ``delta`` of backprop), the mean and std of
the layer's activation (the output of the Sigmoid/Tanh/ReLU module that follows it, else its own
output), and the fraction of saturated sigmoid/tanh units or dead ReLU units.

    monitor = GradientMonitor(model)
    ...train...
    print(monitor.report())      # table + "vanishing: layer 1 receives 1/120 of the gradient..."
    monitor.remove()

``GradientMonitorCallback`` (in ``minitorch.train.monitor``) does the same during ``fit``.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

from minitorch.autograd import Tensor, is_grad_enabled
from minitorch.backend import get_backend

SATURATION = 0.1  # a sigmoid/tanh unit is saturated when its slope is below 10% of its peak
STATS = ("grad_norm", "output_grad_norm", "mean", "std", "saturated", "dead")


class GradientMonitor:
    """Per-step gradient and activation statistics of each layer of ``model``.

    A step is one forward call of ``model`` with gradients enabled (calls under ``no_grad``,
    such as validation, are not counted); every ``every``-th step is recorded. ``history[i]``
    maps each layer name to its statistics at step ``steps[i]``: ``grad_norm`` (all its
    parameters), ``param_grad_norms``, ``output_grad_norm``, ``mean``, ``std``, ``activation``
    (``"sigmoid"``, ``"tanh"``, ``"relu"`` or None), ``saturated``, ``dead`` (fractions, or None).
    An activation module is credited to the layer called just before it (a shared ``self.act``
    works); a functional activation (``F.relu``) is not seen, and the layer's own output is
    described instead. A layer called several times in one step reports its last call.
    """

    def __init__(self, model: Any, every: int = 1) -> None:
        from minitorch import nn  # here, so that importing this module stays light

        if not isinstance(model, nn.Module):
            raise TypeError(f"GradientMonitor expects an nn.Module, got {type(model).__name__}")
        if not isinstance(every, int) or isinstance(every, bool) or every < 1:
            raise ValueError(f"GradientMonitor: every must be a positive int, got {every!r}")
        self.model, self.every = model, every
        self.layers: dict[str, Any] = {}
        kinds = {nn.Sigmoid: "sigmoid", nn.Tanh: "tanh", nn.ReLU: "relu"}
        activations = []
        for name, module in model.named_modules():
            if any(p is not None for p in module._parameters.values()):
                self.layers[name or type(module).__name__] = module
            elif type(module) in kinds:
                activations.append((module, kinds[type(module)]))
        if not self.layers:
            raise ValueError(f"GradientMonitor: {type(model).__name__} has no parameters")
        self.history: list[dict[str, dict]] = []
        self.steps: list[int] = []
        self._step, self._record, self._last = -1, None, None
        self._pending: list = []  # hooks on this step's layer outputs (they live on its graph)
        self._handles = [model.register_forward_pre_hook(self._begin_step)]
        for name, module in self.layers.items():
            self._handles.append(module.register_forward_hook(self._on_layer(name)))
            for pname, param in module.named_parameters(recurse=False):
                if param.requires_grad:
                    self._handles.append(param.register_hook(self._on_param(name, pname)))
        for module, kind in activations:
            self._handles.append(module.register_forward_hook(self._on_activation(kind)))

    # --- recording --------------------------------------------------------------------------
    def _begin_step(self, module: Any, args: tuple) -> None:
        if not is_grad_enabled():
            self._record = None
            return
        self._step += 1
        for handle in self._pending:
            handle.remove()
        self._pending, self._last = [], None
        if self._step % self.every:
            self._record = None
            return
        self._record = {name: _empty() for name in self.layers}
        self.history.append(self._record)
        self.steps.append(self._step)

    def _on_layer(self, name: str) -> Any:
        def hook(module: Any, args: tuple, output: Any) -> None:
            y = _first_tensor(output)
            if self._record is None or y is None:
                return
            stats = self._record[name]
            stats["mean"], stats["std"] = _moments(y.array)
            self._last = name
            if y.requires_grad:
                self._pending.append(y.register_hook(_store_norm(stats, "output_grad_norm")))

        return hook

    def _on_activation(self, kind: str) -> Any:
        def hook(module: Any, args: tuple, output: Any) -> None:
            if self._record is None or self._last is None or not isinstance(output, Tensor):
                return
            stats = self._record[self._last]
            y = output.array
            stats["mean"], stats["std"] = _moments(y)
            stats["activation"] = kind
            if kind == "relu":
                stats["dead"] = _dead_fraction(y)
            else:
                slope = y * (1 - y) * 4 if kind == "sigmoid" else 1 - y * y  # slope / peak
                stats["saturated"] = float((slope < SATURATION).mean())
            self._last = None  # one activation per layer

        return hook

    def _on_param(self, layer: str, pname: str) -> Any:
        def hook(grad: Tensor) -> None:
            if self._record is not None:
                stats = self._record[layer]
                stats["param_grad_norms"][pname] = _norm(grad.array)
                stats["grad_norm"] = math.sqrt(
                    sum(v * v for v in stats["param_grad_norms"].values())
                )

        return hook

    def remove(self) -> None:
        """Take every hook off the model, its parameters and the outputs of the last step."""
        for handle in self._handles + self._pending:
            handle.remove()
        self._handles, self._pending, self._record = [], [], None

    def __enter__(self) -> GradientMonitor:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()

    # --- reading ----------------------------------------------------------------------------
    def series(self, stat: str) -> dict[str, list]:
        """``{layer: [value per recorded step]}`` of one statistic (``"grad_norm"``, ...)."""
        if stat not in STATS:
            raise ValueError(f"GradientMonitor.series: stat must be one of {STATS}, got {stat!r}")
        return {name: [record[name][stat] for record in self.history] for name in self.layers}

    def summary(self, last: int | None = None) -> dict[str, dict]:
        """Each statistic averaged over the last ``last`` recorded steps (all when None)."""
        records = self.history if last is None else self.history[-last:]
        out = {}
        for name in self.layers:
            stats = {}
            for stat in STATS:
                values = [r[name][stat] for r in records if r[name][stat] is not None]
                stats[stat] = sum(values) / len(values) if values else None
            kinds = [r[name]["activation"] for r in records if r[name]["activation"]]
            stats["activation"] = kinds[-1] if kinds else None
            out[name] = stats
        return out

    def first_last_ratio(self, last: int | None = None) -> float | None:
        """Gradient norm of the first layer over that of the last (None before any gradient)."""
        norms = [s["grad_norm"] for s in self.summary(last).values()]
        if len(norms) < 2 or norms[0] is None or not norms[-1]:
            return None
        return norms[0] / norms[-1]

    def verdict(self, last: int | None = None) -> str:
        """One plain-language line on the gradient flow from the last layer to the first."""
        from minitorch.utils.inspect_report import verdict

        return verdict(self.summary(last), self.layers, self.first_last_ratio(last))

    def report(self, last: int | None = None) -> str:
        """A table per layer (averaged over the last ``last`` recorded steps) and the verdict."""
        from minitorch.utils.inspect_report import table, warnings

        summary = self.summary(last)
        lines = [table(summary, self.layers)]
        ratio = self.first_last_ratio(last)
        if ratio is not None:
            lines.append(f"first/last layer gradient-norm ratio: {ratio:.3g}")
        lines.append(self.verdict(last))
        lines += warnings(summary)
        return "\n".join(lines)

    def plot(self, path: Any) -> None:
        """Save the gradient norm and activation std of each layer over the steps (matplotlib:
        ``pip install matplotlib``)."""
        from minitorch.utils.inspect_report import plot

        plot(self, path)


def _empty() -> dict:
    stats: dict[str, Any] = dict.fromkeys(STATS)
    stats["param_grad_norms"], stats["activation"] = {}, None
    return stats


def _first_tensor(output: Any) -> Tensor | None:
    if isinstance(output, Tensor):
        return output
    if isinstance(output, (tuple, list)):
        return next((o for o in output if isinstance(o, Tensor)), None)
    return None


def _norm(x: Any) -> float:
    xp = get_backend(x).xp
    return float(xp.sqrt(xp.sum(x * x)))


def _store_norm(stats: dict, key: str) -> Any:
    def hook(grad: Tensor) -> None:
        stats[key] = _norm(grad.array)

    return hook


def _moments(y: Any) -> tuple[float, float]:
    if y.dtype.kind not in "fc" or y.size == 0:
        return math.nan, math.nan
    return float(y.mean()), float(y.std())


def _dead_fraction(y: Any) -> float:
    """Units (features; channels for images) that output 0 for every sample of the batch."""
    if y.ndim < 2:
        return float((y <= 0).mean())
    axes = (0,) + tuple(range(2, y.ndim))
    return float((~(y > 0).any(axis=axes)).mean())


def __getattr__(name: str) -> Any:
    """``GradientMonitorCallback`` is defined with the other callbacks of ``fit``."""
    if name == "GradientMonitorCallback":
        return importlib.import_module("minitorch.train.monitor").GradientMonitorCallback
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
