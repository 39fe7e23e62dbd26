"""Writing a file so that a crash never leaves it half-written (checkpoints, downloads).

The bytes go to a temporary sibling of the target named ``.<name>.<host>.<pid>.<random><suffix>``
(for ``mt.save("digits.ckpt")`` on host ``gpu3`` something like
``.digits.ckpt.gpu3.12345.9f2c1a7e.minitorch-partial``; downloads end in ``.part``), which is
flushed, fsynced and renamed over the target. A writer killed outright (``kill -9``, the OOM
killer, a power cut) can't remove its temporary file, so each write first removes the stale ones
of its target: those written from this host by a process that no longer runs, and any not
modified for ``STALE_AFTER_S`` (an hour: another host's, or a recycled pid's). Only names of
exactly that pattern are touched (and, after an hour, ``.<name>.XXXXXXXX.tmp`` left by earlier
versions of this module).

As with ``open(path, "wb")``: an existing file keeps its permission bits, a new file gets
``0o666 & ~umask``, and a symlink is written through (its target is replaced in the target's
directory; the link stays a link). Unlike it, hard links to the old file keep the old contents
and the file's owner becomes the writer.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

STALE_AFTER_S = 3600.0
SUFFIX = ".minitorch-partial"
_writing: set[str] = set()  # temporary files this process has open now (any thread)


@contextmanager
def atomic_write(target: Path, suffix: str = SUFFIX) -> Iterator[BinaryIO]:
    """Yield a binary file beside ``target``; on a clean exit it is flushed, fsynced and renamed
    over ``target`` (then the directory is fsynced). On any exception, KeyboardInterrupt
    included, the temporary file is removed and ``target`` is left as it was."""
    target = Path(os.path.realpath(target))  # write through symlinks
    remove_stale(target, suffix)
    # An existing file may be private: its replacement is 0600 until it gets the old mode.
    tmp, fd = _create(target, suffix, 0o666 if _mode(target) is None else 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            mode = _mode(target)
            if mode is not None:
                os.chmod(tmp, mode)
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _writing.discard(tmp)
    _fsync_directory(target.parent)


def temp_pattern(target: Path, suffix: str = SUFFIX) -> re.Pattern:
    """The names of ``target``'s temporary files; group ``host`` and ``pid`` say who wrote one
    (both None for the legacy ``.<name>.XXXXXXXX.tmp`` names of mkstemp)."""
    return re.compile(
        re.escape(f".{_stem(Path(target).name, suffix)}.")
        + r"(?:(?P<host>[A-Za-z0-9-]+)\.(?P<pid>[0-9]{1,10})\.[0-9a-f]{8}"
        + re.escape(suffix)
        + r"|[a-z0-9_]{8}\.tmp)"
    )


def remove_stale(target: Path, suffix: str = SUFFIX) -> list[Path]:
    """Delete the temporary files of ``target`` that no live writer owns; return their paths.

    Best effort: a file that can't be examined or removed is left where it is."""
    target = Path(target)
    pattern, host, now, removed = temp_pattern(target, suffix), _host(), time.time(), []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or entry.path in _writing:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_AFTER_S
            orphan = match["host"] == host and not _alive(int(match["pid"]))
            if old or orphan:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` runs on this host (this process: only for files it is writing,
    which ``remove_stale`` has already skipped, so a previous holder of our pid is dead)."""
    if pid == os.getpid():
        return False
    if os.name == "nt":  # os.kill would terminate it; leave the file to the age rule
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # PermissionError: alive, someone else's
        return True
    return True


def _create(target: Path, suffix: str, mode: int) -> tuple[str, int]:
    stem = f".{_stem(target.name, suffix)}.{_host()}.{os.getpid()}."
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(target.parent, f"{stem}{secrets.token_hex(4)}{suffix}")
        _writing.add(tmp)  # before it exists, so no other thread takes it for an orphan
        try:
            return tmp, os.open(tmp, flags, mode)
        except FileExistsError:
            _writing.discard(tmp)
        except BaseException:
            _writing.discard(tmp)
            raise
    raise FileExistsError(f"no free temporary name beside {target}")


def _stem(name: str, suffix: str) -> str:
    """``name``, shortened if needed so that the temporary name fits in 255 bytes."""
    budget = 255 - len(f"..{'h' * 16}.{'9' * 10}.{'f' * 8}{suffix}".encode())
    while len(os.fsencode(name)) > budget:
        name = name[:-1]
    return name


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0])[:16] or "host"


def _mode(path: Path) -> int | None:
    """The permission bits of the regular file at ``path``, or None if there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) & 0o777 if stat.S_ISREG(st.st_mode) else None


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories can't be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
