"""``MultiProcessIter``: what ``iter(DataLoader(num_workers=N))`` returns, as PyTorch's.

N worker processes each own an index queue; tasks go to them round robin, at most
``prefetch_factor * N`` ahead, and the results come back on one shared queue. Batches are handed
out in sampler order whichever worker finishes first (results that arrive early wait in
``_task_info``). Workers stop when the pass ends (unless persistent), when the iterator is
garbage collected, or when the main process goes away.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import queue
import weakref
from typing import Any

from minitorch.data.loader_iter import BaseIter, finish_batch
from minitorch.data.worker import (
    POLL_INTERVAL,
    ExceptionWrapper,
    IterableEnd,
    ResumeIteration,
    unpack,
    worker_loop,
)

__all__ = ["MultiProcessIter", "shutdown_all"]

_live: weakref.WeakSet = weakref.WeakSet()


def shutdown_all() -> None:
    """Stop the workers of every live iterator (persistent ones included); runs at exit."""
    for it in list(_live):
        it.shutdown_workers()


atexit.register(shutdown_all)


class MultiProcessIter(BaseIter):
    """Loads batches in ``num_workers`` processes started from ``multiprocessing_context``."""

    def __init__(self, loader: Any) -> None:
        self._shutdown, self._workers = True, []  # what __del__ needs if a start fails
        super().__init__(loader)
        ctx = loader.multiprocessing_context or multiprocessing.get_context()
        self._prefetch = loader.prefetch_factor
        self._in_order = loader.in_order
        self._result_queue = ctx.Queue()
        self._done_event = ctx.Event()
        self._index_queues: list = []
        self._active = [True] * self._num_workers
        self._shutdown = False
        try:
            for worker_id in range(self._num_workers):
                index_queue = ctx.Queue()
                index_queue.cancel_join_thread()
                args = (
                    self._iterable, self._dataset, index_queue, self._result_queue,
                    self._done_event, self._auto_collation, self._collate_fn, self._drop_last,
                    self._vectorised, self.base_seed, loader.worker_init_fn, worker_id,
                    self._num_workers,
                )  # fmt: skip
                worker = ctx.Process(target=worker_loop, args=args, daemon=True)
                worker.start()
                self._index_queues.append(index_queue)
                self._workers.append(worker)
        except BaseException:
            self.shutdown_workers()
            raise
        _live.add(self)
        self._start_epoch(first=True)

    @property
    def workers_alive(self) -> bool:
        """False once the workers were shut down (a pass ended, or a worker died)."""
        return not self._shutdown

    def reset(self, loader: Any) -> None:
        """A new pass with the same (persistent) workers."""
        super().reset(loader)
        self._start_epoch(first=False)

    def _start_epoch(self, first: bool) -> None:
        n = self._num_workers
        self._send_idx = 0  # next task to send
        self._rcvd_idx = 0  # next task to hand out
        self._task_info: dict = {}  # task -> (worker,) while pending, (worker, data) once here
        self._active = [True] * n
        self._tasks_of = [0] * n
        self._cycle = itertools.cycle(range(n))
        if not first:  # drain the last pass's results up to each worker's acknowledgement
            for q in self._index_queues:
                q.put(ResumeIteration())
            left = n
            while left:
                idx, _ = self._get_data()
                left -= isinstance(idx, ResumeIteration)
        for _ in range(self._prefetch * n):
            self._try_put_index()

    def _try_put_index(self) -> None:
        try:
            index = next(self._index_iter)
        except StopIteration:
            return
        most = self._prefetch * self._num_workers
        for _ in range(self._num_workers):
            w = next(self._cycle)
            if self._active[w] and (
                self._in_order or self._tasks_of[w] < most // max(sum(self._active), 1)
            ):
                break
        else:
            return
        self._index_queues[w].put((self._send_idx, index))
        self._task_info[self._send_idx] = (w,)
        self._tasks_of[w] += 1
        self._send_idx += 1

    def _try_get(self, timeout: float) -> tuple[bool, Any]:
        try:
            return True, self._result_queue.get(timeout=timeout)
        except queue.Empty:
            dead = [w for i, w in enumerate(self._workers) if self._active[i] and not w.is_alive()]
            if dead:
                self.shutdown_workers()
                pids = ", ".join(str(w.pid) for w in dead)
                raise RuntimeError(
                    f"DataLoader worker (pid(s) {pids}) exited unexpectedly"
                ) from None
            return False, None

    def _get_data(self) -> Any:
        if self._timeout > 0:
            ok, data = self._try_get(self._timeout)
            if not ok:
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            return data
        while True:
            ok, data = self._try_get(POLL_INTERVAL)
            if ok:
                return data

    def _next_data(self) -> Any:
        while True:
            while self._rcvd_idx < self._send_idx:  # skip tasks of exhausted workers
                info = self._task_info.get(self._rcvd_idx)
                if info and (len(info) == 2 or self._active[info[0]]):
                    break
                self._task_info.pop(self._rcvd_idx, None)
                self._rcvd_idx += 1
            else:
                if not self._persistent:
                    self.shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 2:  # arrived earlier, out of order
                worker, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process(data, worker)
            idx, data = self._get_data()
            if isinstance(data, IterableEnd):
                self._active[data.worker_id] = False
                if not self._persistent:
                    self._index_queues[data.worker_id].put(None)
                self._try_put_index()
                continue
            if idx == self._rcvd_idx or not self._in_order:
                worker = self._task_info.pop(idx)[0]
                if idx == self._rcvd_idx:
                    self._rcvd_idx += 1
                return self._process(data, worker)
            self._task_info[idx] += (data,)

    def _process(self, data: Any, worker: int) -> Any:
        self._tasks_of[worker] -= 1
        self._try_put_index()
        if isinstance(data, ExceptionWrapper):
            data.reraise()
        batch = unpack(data, self._pin)
        return finish_batch(batch, None, self._device) if self._device is not None else batch

    def shutdown_workers(self) -> None:
        """Tell every worker to stop, wait for it (a moment), terminate a straggler, and reap
        them all, so no process is left behind."""
        if self._shutdown:
            return
        self._shutdown = True
        _live.discard(self)
        try:
            self._done_event.set()
            for i, q in enumerate(self._index_queues):
                if self._persistent or self._active[i]:
                    q.put(None)
                self._active[i] = False
            for w in self._workers:
                w.join(timeout=POLL_INTERVAL)
            for q in self._index_queues:
                q.cancel_join_thread()
                q.close()
            self._result_queue.cancel_join_thread()
            self._result_queue.close()
        finally:
            for w in self._workers:
                if w.is_alive():
                    w.terminate()
                    w.join(timeout=POLL_INTERVAL)

    def __del__(self) -> None:
        try:
            self.shutdown_workers()
        except Exception:  # at interpreter exit the modules it needs may already be gone
            pass
