"""``DistributedDataParallel``: one model replica per rank, gradients averaged during backward."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

from minitorch.autograd import Tensor, is_grad_enabled
from minitorch.backend import as_device
from minitorch.distributed.state import default_group
from minitorch.nn.module import Module
from minitorch.nn.parallel.reducer import FIRST_BUCKET_BYTES, Reducer
from minitorch.nn.parallel.sync import broadcast_coalesced, verify_shapes


class DistributedDataParallel(Module):
    """Wrap ``module`` so that, after ``loss.backward()``, every parameter's ``.grad`` is the
    mean over the ranks of the process group (``dist.init_process_group`` first).

    At construction the ranks' parameter shapes are compared and rank 0's parameters and
    buffers are broadcast to all. During backward the gradients are all-reduced in buckets of
    about ``bucket_cap_mb`` as soon as each bucket is complete (see ``reducer.py``), so
    communication overlaps the rest of backward. Each rank feeds its own share of the batch
    (``DistributedSampler``); with equal shares the result equals one process on the whole
    batch.

    Args:
        device_ids: None for a CPU module; ``[i]`` (or ``["cuda:i"]``) for a module on GPU
            ``i``, whose forward inputs are then moved to that GPU.
        output_device, dim: accepted for PyTorch's signature; like PyTorch's single-device
            DDP they change nothing (the output stays where the module puts it).
        broadcast_buffers: broadcast rank 0's buffers (BatchNorm statistics) before each
            forward that follows a synced training forward.
        init_sync: check shapes and broadcast rank 0's state at construction.
        find_unused_parameters: walk the graph from the forward's outputs to find parameters
            this step does not use, and count them as reduced (their gradient, zero on this
            rank, still takes part in the mean). Without it, a parameter that gets no gradient
            leaves the reduction unfinished, and the next forward raises, naming it.
        check_reduction: ignored, as in PyTorch (deprecated there).
        gradient_as_bucket_view: ``.grad`` of each parameter is a view into its bucket (saves
            one copy and the memory of the gradients).
        static_graph: the set of used parameters never changes: it is found once, on the first
            iteration, instead of at every forward.

    Shape: whatever ``module`` takes and returns.
    """

    def __init__(
        self,
        module: Module,
        device_ids: Any = None,
        output_device: Any = None,
        dim: int = 0,
        broadcast_buffers: bool = True,
        init_sync: bool = True,
        process_group: Any = None,
        bucket_cap_mb: float | None = None,
        find_unused_parameters: bool = False,
        check_reduction: bool = False,
        gradient_as_bucket_view: bool = False,
        static_graph: bool = False,
    ) -> None:
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(
                f"DistributedDataParallel expects an nn.Module, got {type(module).__name__}"
            )
        group = default_group("DistributedDataParallel", process_group)
        named = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
        if not named:
            raise RuntimeError(
                "DistributedDataParallel is not needed when a module doesn't have any "
                "parameter that requires a gradient."
            )
        cap = 25.0 if bucket_cap_mb is None else bucket_cap_mb
        if isinstance(cap, bool) or not isinstance(cap, (int, float)) or cap <= 0:
            raise ValueError(
                f"DistributedDataParallel: bucket_cap_mb must be a positive number, got {cap!r}"
            )
        self.module = module
        self.device = _check_device(module, device_ids, output_device)
        self.device_ids = None if self.device.type == "cpu" else [self.device.index]
        self.output_device, self.dim = output_device, dim
        self.process_group = group
        group.check_array(named[0][1].array, "DistributedDataParallel", "the module")
        self.broadcast_buffers = broadcast_buffers
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.static_graph = static_graph
        self.bucket_bytes_cap = int(cap * 1024 * 1024)
        if init_sync and group.size > 1:
            verify_shapes(named, group)
            broadcast_coalesced([*module.parameters(), *module.buffers()], group)
        self.reducer = Reducer(
            [p for _, p in named],
            [n for n, _ in named],
            group,
            self.bucket_bytes_cap,
            FIRST_BUCKET_BYTES if bucket_cap_mb is None else self.bucket_bytes_cap,
            find_unused_parameters,
            gradient_as_bucket_view,
            static_graph,
        )
        self.require_backward_grad_sync = True  # False inside no_sync()
        self.require_forward_param_sync = True  # broadcast buffers before the next forward

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        sync = is_grad_enabled() and self.require_backward_grad_sync
        if sync:
            self.reducer.check_finished()
        group = self.process_group
        if self.require_forward_param_sync and self.broadcast_buffers and group.size > 1:
            buffers = list(self.module.buffers())
            if buffers:
                broadcast_coalesced(buffers, group)
        if self.device.type != "cpu":
            inputs, kwargs = to_device(inputs, self.device), to_device(kwargs, self.device)
        output = self.module(*inputs, **kwargs)
        if sync:
            self.require_forward_param_sync = True
            self.reducer.prepare(output)
        else:
            self.require_forward_param_sync = False
            self.reducer.local_forward()
        return output

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """No communication inside: gradients accumulate locally, and the first synced
        backward after the block reduces the accumulated sums."""
        before = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = before

    def extra_repr(self) -> str:
        return f"world_size={self.process_group.size}, buckets={len(self.reducer.buckets)}"


def _check_device(module: Module, device_ids: Any, output_device: Any) -> Any:
    """The one device of ``module``'s parameters, checked against ``device_ids``."""
    devices = {p.device for p in module.parameters()}
    if len(devices) != 1:
        raise ValueError(
            f"DistributedDataParallel: the module's parameters are on several devices "
            f"({', '.join(sorted(map(str, devices)))}); multi-device modules are not supported"
        )
    dev = devices.pop()
    if dev.type == "cpu":
        if device_ids is not None or output_device is not None:
            raise ValueError(
                "DistributedDataParallel device_ids and output_device arguments only work with "
                f"single-device GPU modules or CPU modules, but got device_ids {device_ids}, "
                f"output_device {output_device}, and module parameters on cpu: pass none of "
                "them for a CPU module"
            )
        return dev
    if device_ids is not None:
        ids = list(device_ids)
        wanted = [as_device(f"cuda:{i}" if isinstance(i, int) else i) for i in ids]
        if wanted != [dev]:
            raise ValueError(
                f"DistributedDataParallel: device_ids={device_ids!r} must be [the module's "
                f"device] ([{dev.index}]) for a module on {dev}"
            )
    return dev


def to_device(obj: Any, dev: Any) -> Any:
    """Tensors in ``obj`` (nested lists, tuples, named tuples, dicts) moved to ``dev``."""
    if isinstance(obj, Tensor):
        return obj.to(dev)
    if isinstance(obj, dict):
        return type(obj)((k, to_device(v, dev)) for k, v in obj.items())
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return type(obj)(*(to_device(v, dev) for v in obj))
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, dev) for v in obj)
    return obj
