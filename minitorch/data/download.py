"""Fetch a data file once, from the first mirror that works, and check its digest.

Files land in a cache directory: the ``root`` argument, else ``$MINITORCH_DATA``, else
``~/.cache/minitorch``. A file already there with the right digest is used without any network
access, so a machine that is offline can still load data that was copied in by hand.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from minitorch.utils.atomic import atomic_write

__all__ = ["DownloadError", "check_digests", "data_root", "download"]

log = logging.getLogger(__name__)

PathLike = str | os.PathLike
CHUNK_SIZE = 1 << 20
RETRY_DELAY_S = 1.0  # first pause between attempts on one mirror; doubles after each failure
_USER_AGENT = "minitorch"  # some servers answer 403 to urllib's default agent


class DownloadError(RuntimeError):
    """Every mirror failed; the message lists each URL with its reason."""


def data_root(root: PathLike | None = None) -> Path:
    """The cache directory: ``root``, else ``$MINITORCH_DATA``, else ``~/.cache/minitorch``."""
    if root is not None:
        return Path(root).expanduser()
    env = os.environ.get("MINITORCH_DATA")
    if env:
        return Path(env).expanduser()
    return Path.home() / ".cache" / "minitorch"


def _digests(sha256: str | None, md5: str | None) -> dict[str, str]:
    digests = {name: value.lower() for name, value in (("sha256", sha256), ("md5", md5)) if value}
    if not digests:
        raise ValueError(
            "download: expected a sha256 or md5 digest to verify against, got neither"
        )
    return digests


def _hash_file(path: Path, names: Sequence[str]) -> dict[str, str]:
    hashers = {name: hashlib.new(name) for name in names}
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK_SIZE), b""):
            for h in hashers.values():
                h.update(chunk)
    return {name: h.hexdigest() for name, h in hashers.items()}


def _mismatch(expected: dict[str, str], found: dict[str, str]) -> str | None:
    """A sentence naming the first digest that differs, or None when all agree."""
    for name, want in expected.items():
        if found[name] != want:
            return f"{name} mismatch: expected {want}, found {found[name]}"
    return None


def check_digests(path: PathLike, sha256: str | None = None, md5: str | None = None) -> bool:
    """True when ``path`` exists and matches every digest given (sha256 and/or md5)."""
    path = Path(path)
    expected = _digests(sha256, md5)
    return path.is_file() and _mismatch(expected, _hash_file(path, list(expected))) is None


class _ChecksumError(Exception):
    """The bytes arrived but are not the expected file; retrying the same mirror won't help."""


def _fetch(url: str, target: Path, expected: dict[str, str], timeout: float) -> None:
    """Stream ``url`` into a temporary file beside ``target``, verify, then rename atomically."""
    hashers = {name: hashlib.new(name) for name in expected}
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    with atomic_write(target, suffix=".part") as out:  # never leaves a partial file behind
        with urllib.request.urlopen(request, timeout=timeout) as r:
            size = 0
            for chunk in iter(lambda: r.read(CHUNK_SIZE), b""):
                out.write(chunk)
                size += len(chunk)
                for h in hashers.values():
                    h.update(chunk)
            length = r.headers.get("Content-Length")
            if length is not None and length.isdigit() and int(length) != size:
                # urllib returns a short body silently when the connection drops; say so, so the
                # attempt is retried instead of being taken for a corrupt file.
                raise http.client.IncompleteRead(b"", int(length) - size)
        problem = _mismatch(expected, {n: h.hexdigest() for n, h in hashers.items()})
        if problem:
            raise _ChecksumError(f"{problem} ({size} bytes received)")


def _describe(e: Exception) -> str:
    if isinstance(e, _ChecksumError):
        return str(e)
    if isinstance(e, http.client.IncompleteRead):
        return f"connection closed early, {e.expected} bytes missing (IncompleteRead)"
    if isinstance(e, urllib.error.HTTPError):
        return f"HTTP {e.code} {e.reason}"
    if isinstance(e, urllib.error.URLError) and isinstance(e.reason, Exception):
        return f"{type(e.reason).__name__}: {e.reason}"
    return f"{type(e).__name__}: {e}"


# What one attempt may raise: OSError covers URLError, HTTPError, timeouts and refused
# connections; HTTPException a connection cut mid-body (IncompleteRead); ValueError a bad URL.
_FAILURES = (OSError, http.client.HTTPException, _ChecksumError, ValueError)


def _retryable(e: Exception) -> bool:
    """Network hiccups and server errors are worth another try; 4xx answers and bad bytes not."""
    if isinstance(e, urllib.error.HTTPError):
        return e.code >= 500 or e.code == 429
    if isinstance(e, urllib.error.URLError):
        return isinstance(e.reason, OSError)  # not e.g. "unknown url type"
    return not isinstance(e, (_ChecksumError, ValueError))


def download(
    urls: str | Sequence[str],
    filename: str,
    sha256: str | None = None,
    root: PathLike | None = None,
    *,
    md5: str | None = None,
    retries: int = 2,
    timeout: float = 30.0,
) -> Path:
    """Return the path of ``filename`` in the cache, downloading it from the mirrors if needed.

    Args:
        urls: one URL or a list of mirror URLs for the same file, tried in order.
        sha256, md5: the expected digest(s); at least one is required and every one is checked.
        retries: extra attempts per mirror after a network error or a 5xx answer.

    Raises DownloadError (a RuntimeError) listing every URL and why it failed.
    """
    if isinstance(urls, str):
        urls = [urls]
    if not urls:
        raise ValueError(f"download: expected at least one URL for {filename!r}, got none")
    if retries < 0:
        raise ValueError(f"download: retries must be >= 0, got {retries}")
    expected = _digests(sha256, md5)
    directory = data_root(root)
    target = directory / filename
    if target.is_file():
        if _mismatch(expected, _hash_file(target, list(expected))) is None:
            return target
        log.warning("%s exists but its checksum is wrong; downloading it again", target)
    directory.mkdir(parents=True, exist_ok=True)

    failures = []
    for url in urls:
        delay = RETRY_DELAY_S
        for attempt in range(1, retries + 2):
            log.info("downloading %s to %s (attempt %d)", url, target, attempt)
            try:
                _fetch(url, target, expected, timeout)
                return target
            except _FAILURES as e:
                error = e
            if not _retryable(error) or attempt == retries + 1:
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                failures.append(f"  - {url}: {_describe(error)}{tries}")
                break
            time.sleep(delay)
            delay *= 2

    digest = " and ".join(f"{name} {value}" for name, value in expected.items())
    raise DownloadError(
        f"could not download {filename!r} from any of its {len(urls)} mirror(s):\n"
        + "\n".join(failures)
        + "\nThis machine may be offline. To place the file by hand, fetch it from one of the "
        f"URLs above on another machine and copy it to\n  {target}\nwhere it must match "
        f"{digest}. The cache directory is the root argument, else $MINITORCH_DATA, else "
        "~/.cache/minitorch."
    )
