"""Fetchers: one batch (or one sample) from a dataset, the same in the main process and workers.

``MapFetcher`` reads a map-style dataset at the indices a sampler gave: with the dataset's
vectorised ``get_batch`` when it has one and no ``collate_fn`` was given, else sample by sample
(``__getitems__`` when defined) and collated. ``IterableFetcher`` pulls the next samples from an
iterable-style dataset's iterator.
"""

from __future__ import annotations

from typing import Any, Callable

from minitorch.data.collate import CollateError

__all__ = ["IterableFetcher", "MapFetcher", "VectorisedFetcher", "make_fetcher"]


class VectorisedFetcher:
    """``fetch(indices)`` is the dataset's own ``get_batch``: a whole batch in one call."""

    def __init__(self, dataset: Any) -> None:
        self.fetch = dataset.get_batch


class MapFetcher:
    """``fetch(index)``: the batch at ``index`` (a list or int64 array of indices), or with
    ``auto_collation=False`` the converted sample at one index."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable) -> None:
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn
        getitems = getattr(dataset, "__getitems__", None)
        self.getitems = getitems if callable(getitems) else None

    def fetch(self, index: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        indices = index.tolist() if hasattr(index, "tolist") else list(index)
        if self.getitems is not None:
            samples = self.getitems(indices)
        else:
            samples = [self.dataset[i] for i in indices]
        try:
            return self.collate_fn(samples)
        except CollateError as err:
            (a, b), name = err.positions, type(self.dataset).__name__
            hint = (
                ". Make the dataset return equal shapes (crop or pad), or pass a collate_fn that "
                "handles them."
                if "shape" in err.problem
                else ". Make every sample the same structure, or pass a collate_fn that handles "
                "them."
            )
            raise type(err).between(
                f"samples of {name} {err.problem.removeprefix('samples ')}",
                (indices[a], indices[b]),
                err.details,
                who="DataLoader",
                label="sample",
                hint=hint,
            ) from err


class IterableFetcher:
    """``fetch(index)``: the next ``len(index)`` samples of the dataset's iterator, collated
    (or the next sample alone without auto-collation); ``StopIteration`` at the end."""

    def __init__(
        self, dataset: Any, auto_collation: bool, collate_fn: Callable, drop_last: bool
    ) -> None:
        self.dataset_iter = iter(dataset)
        self.auto_collation, self.collate_fn = auto_collation, collate_fn
        self.drop_last = drop_last
        self.ended = False

    def fetch(self, index: Any) -> Any:
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.dataset_iter))
        data = []
        for _ in index:
            try:
                data.append(next(self.dataset_iter))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < len(index)):
            raise StopIteration
        return self.collate_fn(data)


def make_fetcher(
    iterable: bool,
    dataset: Any,
    auto_collation: bool,
    collate_fn: Callable,
    drop_last: bool,
    vectorised: bool,
) -> MapFetcher | IterableFetcher | VectorisedFetcher:
    """The fetcher for an iterable-style dataset, a map-style one batched by its ``get_batch``
    (``vectorised``), or any other map-style one."""
    if iterable:
        return IterableFetcher(dataset, auto_collation, collate_fn, drop_last)
    if vectorised and auto_collation:
        return VectorisedFetcher(dataset)
    return MapFetcher(dataset, auto_collation, collate_fn)
