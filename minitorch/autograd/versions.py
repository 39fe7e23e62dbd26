"""Version counters: how often an array's memory was written in place, as PyTorch's ``_version``.

Every in-place write that minitorch makes outside the graph (the ``*_`` methods, ``t[i] = v``,
``+=``, writes through ``.data`` or ``detach()``, and optimizer steps) calls ``bump(array)``.
The count belongs to the memory, not to a Tensor: every Tensor and view sharing the memory sees
it. A recorded call remembers the global write ``clock`` when it is recorded; its backward
re-checks its saved arrays only when the clock has moved since, so a training loop (forward,
backward, then the optimizer's writes) never pays for the check. Writes made straight into a raw
``Tensor.array`` by user code (``t.array[0] = 1``) are not seen.
"""

from __future__ import annotations

import weakref
from collections import deque
from typing import Any

clock = 0  # number of in-place writes so far, in this process
_HISTORY = 16  # write times kept per memory block (for the "expected version" of the error)


class _Entry:
    __slots__ = ("version", "writes", "ref")

    def __init__(self) -> None:
        self.version = 0
        self.writes: deque = deque(maxlen=_HISTORY)  # clocks of the latest writes, oldest first
        self.ref: Any = None


_entries: dict[int, _Entry] = {}  # id(memory owner) -> its entry


def owner(array: Any) -> Any:
    """The object that owns ``array``'s memory (NumPy and CuPy point views at it in ``base``)."""
    while True:
        base = getattr(array, "base", None)
        if base is None or not hasattr(base, "shape"):
            return array if base is None else base
        array = base


def bump(array: Any) -> None:
    """Count one in-place write into ``array``'s memory."""
    global clock
    clock += 1
    base = getattr(array, "base", None)
    root = array if base is None else owner(base)
    entry = _entries.get(id(root))
    if entry is None:
        entry = _new_entry(root)
    entry.version += 1
    entry.writes.append(clock)


def _new_entry(root: Any) -> _Entry:
    key = id(root)
    entry = _entries[key] = _Entry()
    try:  # forget the entry with the memory, before its id can be reused
        entry.ref = weakref.ref(root, lambda _, key=key: _entries.pop(key, None))
    except TypeError:  # an owner without weak references keeps its entry; see `written_since`
        pass
    return entry


def version(array: Any) -> int:
    """How many in-place writes ``array``'s memory has had (``Tensor._version``)."""
    entry = _entries.get(id(owner(array)))
    return 0 if entry is None else entry.version


def written_since(array: Any, when: int) -> tuple[int, int | None] | None:
    """``(version now, version at clock time when)`` if ``array``'s memory was written after
    ``when``, else None; the second is None when more writes than the kept history came after.
    (An entry left by dead memory whose id was reused only holds writes from before that memory
    died, so it never reports a write after a later ``when``.)"""
    entry = _entries.get(id(owner(array)))
    if entry is None or not entry.writes or entry.writes[-1] <= when:
        return None
    writes = entry.writes
    later = sum(1 for w in writes if w > when)
    if later == len(writes) and entry.version > later:
        return entry.version, None  # the write history does not reach back to `when`
    return entry.version, entry.version - later


def check_saved(values: Any, when: int, node_name: str) -> None:
    """Raise PyTorch's error if an array among ``values`` (saved for backward at clock time
    ``when``) was written in place since. Looks into Tensors, tuples and lists one level deep."""
    for value in values:
        items = value if isinstance(value, (tuple, list)) else (value,)
        for item in items:
            array = getattr(item, "array", item)  # a Tensor (PyTorch-style ctx) or an array
            if not hasattr(array, "shape") or not hasattr(array, "dtype"):
                continue
            seen = written_since(array, when)
            if seen is not None:
                raise RuntimeError(_message(array, node_name, *seen))


def _message(array: Any, node_name: str, now: int, then: int | None) -> str:
    shape = list(array.shape)
    expected = f"version {now - _HISTORY} or lower" if then is None else f"version {then}"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{array.dtype} {shape}], saved for backward by [{node_name}], is at "
        f"version {now}; expected {expected} instead. Hint: it was written in place (an "
        "in-place method such as add_(), `t[...] = v`, `+=`, a write through .data, or an "
        "optimizer step) after the forward pass that saved it and before backward(); modify a "
        "clone() instead, or call backward() (and optimizer.step()) before changing it."
    )
