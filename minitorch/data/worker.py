"""The DataLoader worker process: its loop, ``get_worker_info()``, and what crosses the queues.

A worker receives ``(task, indices)`` on its own index queue, fetches the batch with the same
fetcher as the main process, and puts ``(task, batch)`` on the shared result queue. Tensors
travel as their host arrays (``TensorPayload``) and become Tensors again in the main process;
an exception travels as an ``ExceptionWrapper`` holding its type and traceback text.
"""

from __future__ import annotations

import os
import pickle
import queue
import random
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from minitorch.autograd import Tensor
from minitorch.backend import all_backends, manual_seed, numpy_backend
from minitorch.data.collate import map_structure
from minitorch.data.fetch import make_fetcher

__all__ = [
    "ExceptionWrapper",
    "ResumeIteration",
    "TensorPayload",
    "WorkerInfo",
    "get_worker_info",
    "numpy_seed_state",
    "pack",
    "unpack",
    "worker_loop",
]

POLL_INTERVAL = 1.0  # seconds between the main process's checks that its workers are alive
# An idle worker looks at the done event this often: the way it learns to stop when the index
# queue can't deliver the final None (a loader collected in a reference cycle has its queues'
# feeder threads finalized before the iterator's __del__ can use them).
WORKER_POLL = 0.1


@dataclass(frozen=True)
class WorkerInfo:
    """What a worker knows about itself: ``id`` (0 .. num_workers - 1), ``num_workers``,
    ``seed`` (``base_seed + id``) and ``dataset`` (this worker's own copy)."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """In a DataLoader worker, its ``WorkerInfo``; in the main process, ``None`` (as PyTorch)."""
    return _worker_info


@dataclass(frozen=True)
class ResumeIteration:
    """Main -> persistent worker: a new epoch starts (rebuild the fetcher); echoed back."""


@dataclass(frozen=True)
class IterableEnd:
    """Worker -> main: this worker's copy of an iterable-style dataset is exhausted."""

    worker_id: int


class KeyErrorMessage(str):
    """A message that a ``KeyError`` shows as is (``KeyError`` otherwise prints its repr)."""

    def __repr__(self) -> str:
        return str(self)


class ExceptionWrapper:
    """An exception caught in a worker: its type and traceback text, re-raised by ``reraise``.

    A type that can't cross to the main process (a class defined inside a function) travels as
    ``RuntimeError``, its name kept in the message.
    """

    def __init__(self, where: str) -> None:
        exc_type, exc, tb = sys.exc_info()
        self.type_name = exc_type.__name__
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc, tb))
        self.where = where
        try:
            pickle.dumps(exc_type)
        except Exception:
            exc_type = RuntimeError
        self.exc_type = exc_type

    def reraise(self) -> None:
        """Raise ``exc_type("Caught X in DataLoader worker process N. Original Traceback ...")``
        (a ``RuntimeError`` with that text when the type can't be built from one message)."""
        msg = f"Caught {self.type_name} {self.where}.\nOriginal {self.exc_msg}"
        if issubclass(self.exc_type, KeyError):
            msg = KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        try:
            raise exception
        finally:
            del exception  # no cycle exception -> traceback -> this frame -> exception


class TensorPayload:
    """A Tensor's host array on its way from a worker to the main process."""

    __slots__ = ("array",)

    def __init__(self, array: Any) -> None:
        self.array = array


def pack(batch: Any) -> bytes:
    """``batch`` pickled, each Tensor as a ``TensorPayload`` of its host array. Pickled here,
    not in the queue's feeder thread, so a batch that can't be pickled raises in the worker
    (and reaches the main process as an error) instead of vanishing."""
    host = numpy_backend()
    batch = map_structure(lambda t: TensorPayload(host.asarray(t.array)), batch)
    return pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)


def unpack(data: bytes, pin: Callable[[Any], Any] | None = None) -> Any:
    """The batch ``pack`` made, each ``TensorPayload`` a Tensor again (its array pinned by
    ``pin``)."""
    batch = pickle.loads(data)
    if pin is None:
        return map_structure(lambda p: Tensor(p.array), batch, TensorPayload)
    return map_structure(lambda p: Tensor(pin(p.array)), batch, TensorPayload)


def numpy_seed_state(base_seed: int, worker_id: int) -> list[int]:
    """The 4 x 32-bit seed PyTorch gives NumPy's legacy global RNG in worker ``worker_id``
    (``torch.utils.data._utils.worker._generate_state``: a SeedSequence-style hash)."""
    mask = 0xFFFFFFFF
    entropy = [worker_id, base_seed & mask, base_seed >> 32, 0]
    hash_const = [0x43B0D7E5]

    def hash_(value: int) -> int:
        value = (value ^ hash_const[0]) & mask
        hash_const[0] = (hash_const[0] * 0x931E8875) & mask
        value = (value * hash_const[0]) & mask
        return (value ^ (value >> 16)) & mask

    def mix(x: int, y: int) -> int:
        result = (((0xCA01F9DD * x) & mask) - ((0x4973F715 * y) & mask)) & mask
        return (result ^ (result >> 16)) & mask

    pool = [hash_(e) for e in entropy]
    for src in range(4):
        for dst in range(4):
            if src != dst:
                pool[dst] = mix(pool[dst], hash_(pool[src]))
    const_b, state = 0x8B51F9DD, []
    for value in pool:
        value = (value ^ const_b) & mask
        const_b = (const_b * 0x58F38DED) & mask
        value = (value * const_b) & mask
        state.append((value ^ (value >> 16)) & mask)
    return state


def seed_worker(base_seed: int, worker_id: int) -> int:
    """Seed this worker as PyTorch does: Python's ``random`` and minitorch's generator with
    ``base_seed + worker_id``, NumPy's legacy global RNG with ``numpy_seed_state``."""
    seed = base_seed + worker_id
    random.seed(seed)
    if len(all_backends()) == 1:
        manual_seed(seed)
    else:  # a forked copy of a process that used the GPU must not touch its CUDA context
        numpy_backend().seed(seed)
    numpy_backend().xp.random.seed(numpy_seed_state(base_seed, worker_id))
    return seed


def worker_loop(
    iterable: bool,
    dataset: Any,
    index_queue: Any,
    result_queue: Any,
    done_event: Any,
    auto_collation: bool,
    collate_fn: Callable,
    drop_last: bool,
    vectorised: bool,
    base_seed: int,
    init_fn: Callable[[int], None] | None,
    worker_id: int,
    num_workers: int,
) -> None:
    """The body of worker ``worker_id``: fetch batches until told to stop (``None``) or the
    main process is gone."""
    global _worker_info
    try:
        seed = seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_error, fetcher = None, None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = make_fetcher(
                iterable, dataset, auto_collation, collate_fn, drop_last, vectorised
            )
        except Exception:
            init_error = ExceptionWrapper(where)
        ended, parent = False, os.getppid()
        while os.getppid() == parent:
            try:
                task = index_queue.get(timeout=WORKER_POLL)
            except queue.Empty:
                if done_event.is_set():
                    break
                continue
            if task is None:
                break
            if isinstance(task, ResumeIteration):
                result_queue.put((task, None))
                ended = False
                try:
                    fetcher = make_fetcher(
                        iterable, dataset, auto_collation, collate_fn, drop_last, vectorised
                    )
                except Exception:
                    init_error = ExceptionWrapper(where)
                continue
            if done_event.is_set() or ended:
                continue
            idx, index = task
            if init_error is not None:  # a worker whose set-up failed reports it for every task
                data = init_error
            else:
                try:
                    data = pack(fetcher.fetch(index))
                except StopIteration:
                    if not iterable:
                        data = ExceptionWrapper(where)
                    else:
                        data, ended = IterableEnd(worker_id), True
                except Exception:
                    data = ExceptionWrapper(where)
            result_queue.put((idx, data))
            del data, task, index  # don't hold a batch while waiting for the next task
    except KeyboardInterrupt:
        pass
    if done_event.is_set():
        result_queue.cancel_join_thread()  # the main process no longer reads: don't block exit
        result_queue.close()
