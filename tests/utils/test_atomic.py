"""Atomic writes (``minitorch.utils.atomic``) as mt.save and the dataset downloader use them: temp
names, stale-file cleanup, permissions, symlinks, and a process killed mid-save."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import minitorch as mt
from minitorch.utils import atomic
from minitorch.utils.atomic import atomic_write, remove_stale, temp_pattern

HOST, PID = atomic._host(), os.getpid()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # reaped: the pid names no process now
    return process.pid


def test_the_temporary_file_says_what_it_is_and_goes_away(tmp_path):
    target = tmp_path / "digits.ckpt"
    with atomic_write(target) as out:
        out.write(b"x")
        (name,) = os.listdir(tmp_path)
        assert re.fullmatch(
            rf"\.digits\.ckpt\.{HOST}\.{PID}\.[0-9a-f]{{8}}\.minitorch-partial", name
        )
        assert temp_pattern(target).fullmatch(name)
    assert os.listdir(tmp_path) == ["digits.ckpt"] and target.read_bytes() == b"x"
    with pytest.raises(ZeroDivisionError), atomic_write(target, suffix=".part") as out:
        out.write(b"partial")
        assert any(name.endswith(".part") for name in os.listdir(tmp_path))  # the downloader's
        raise ZeroDivisionError
    assert os.listdir(tmp_path) == ["digits.ckpt"] and target.read_bytes() == b"x"


def test_stale_temporary_files_are_removed_and_nothing_else(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    dead, live, hour_ago = _dead_pid(), sleeper.pid, time.time() - 2 * atomic.STALE_AFTER_S
    partial = ".model.ckpt.{}.{}.0123abcd.minitorch-partial"
    files = {  # name: (written an hour ago?, should be removed?)
        partial.format(HOST, dead): (False, True),  # its writer was killed
        partial.format(HOST, PID): (False, True),  # an earlier process with our pid
        partial.format(HOST, live): (False, False),  # being written right now
        partial.format(HOST, live).replace("0123", "4567"): (True, True),  # pid reused
        partial.format("otherhost", dead): (False, False),  # can't tell: wait an hour
        partial.format("otherhost", dead).replace("0123", "4567"): (True, True),
        ".model.ckpt.k2j4h5g6.tmp": (True, True),  # left by the mkstemp of earlier versions
        ".model.ckpt.k2j4h5g7.tmp": (False, False),
        partial.format(HOST, dead).replace(".model", ".other"): (True, False),  # other target
        partial.format(HOST, dead).replace("minitorch-partial", "part"): (True, False),
        ".model.ckpt.bak": (True, False),
        "model.ckpt": (True, False),
    }
    try:
        for name, (old, _) in files.items():
            (tmp_path / name).write_bytes(b"")
            if old:
                os.utime(tmp_path / name, (hour_ago, hour_ago))
        (tmp_path / partial.format(HOST, 1)).mkdir()  # not a file: left alone
        os.symlink("model.ckpt", tmp_path / partial.format(HOST, 2))
        removed = remove_stale(tmp_path / "model.ckpt")
    finally:
        sleeper.kill()
        sleeper.wait()
    assert sorted(p.name for p in removed) == sorted(n for n, (_, gone) in files.items() if gone)
    kept = {n for n, (_, gone) in files.items() if not gone}
    assert set(os.listdir(tmp_path)) == kept | {partial.format(HOST, 1), partial.format(HOST, 2)}


def test_the_next_save_removes_what_a_killed_one_left(tmp_path):
    orphan = tmp_path / f".c.ckpt.{HOST}.{_dead_pid()}.0123abcd.minitorch-partial"
    orphan.write_bytes(b"half a checkpoint")
    mt.save({"a": 1}, tmp_path / "c.ckpt")
    assert os.listdir(tmp_path) == ["c.ckpt"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_permissions_like_open_for_writing(tmp_path):
    path = tmp_path / "c.ckpt"
    old_umask = os.umask(0o027)
    try:
        mt.save({"a": 1}, path)
        assert path.stat().st_mode & 0o777 == 0o640  # a new file follows the umask, not 0600
        os.chmod(path, 0o604)
        mt.save({"a": 2}, path)
        assert path.stat().st_mode & 0o777 == 0o604  # an overwritten one keeps its bits
        os.umask(0o022)
        mt.save({"a": 3}, tmp_path / "new.ckpt")
        assert (tmp_path / "new.ckpt").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(old_umask)
    assert mt.load(path) == {"a": 2}


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="POSIX symlinks")
def test_a_symlink_is_written_through(tmp_path):
    (tmp_path / "runs").mkdir()
    (tmp_path / "store").mkdir()
    real = tmp_path / "store" / "model-v3.ckpt"
    mt.save({"v": 1}, real)
    os.chmod(real, 0o600)
    link = tmp_path / "runs" / "latest.ckpt"
    os.symlink("../store/model-v3.ckpt", link)
    mt.save({"v": 2}, link)
    assert link.is_symlink() and os.readlink(link) == "../store/model-v3.ckpt"
    assert mt.load(real) == {"v": 2} and real.stat().st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path / "runs") == ["latest.ckpt"]
    assert os.listdir(tmp_path / "store") == ["model-v3.ckpt"]
    dangling = tmp_path / "runs" / "next.ckpt"
    os.symlink(tmp_path / "store" / "model-v4.ckpt", dangling)
    mt.save({"v": 4}, dangling)  # creates the target, as open(path, "wb") would
    assert dangling.is_symlink() and mt.load(tmp_path / "store" / "model-v4.ckpt") == {"v": 4}


# A zygote that has imported minitorch forks one saver after another, so each kill costs a fork
# rather than an interpreter start. Every saver writes the same 24 MB array and its own stamp.
_ZYGOTE = r"""
import os, sys, time
import numpy as np
import minitorch as mt
path, n = sys.argv[1], int(sys.argv[2])
w = np.arange(n, dtype=np.float32)
t0 = time.perf_counter()
mt.save({"w": w, "writer": os.getpid(), "i": -1}, path + ".timing")
os.unlink(path + ".timing")
print(time.perf_counter() - t0, flush=True)
for _ in sys.stdin:
    pid = os.fork()
    if pid == 0:
        i = 0
        while True:
            mt.save({"w": w, "writer": os.getpid(), "i": i}, path)
            i += 1
    print(pid, flush=True)
    os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and kill -9")
def test_kill_9_mid_save_never_corrupts_and_leaves_no_orphan(tmp_path):
    kills, n, rng = 50, 6_000_000, random.Random(0)
    target, w = tmp_path / "big.ckpt", np.arange(n, dtype=np.float32)
    env = {**os.environ, "PYTHONPATH": str(Path(mt.__file__).parents[1]), "OMP_NUM_THREADS": "1"}
    zygote = subprocess.Popen(
        [sys.executable, "-c", _ZYGOTE, str(target), str(n)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    started, writers, orphaned = time.perf_counter(), set(), 0
    try:
        save_s = float(zygote.stdout.readline())
        for _ in range(kills):
            zygote.stdin.write("go\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            writers.add(pid)
            time.sleep(rng.uniform(0, 1.5 * save_s))
            os.kill(pid, 9)
            while _alive(pid):
                time.sleep(0.001)  # until the zygote has reaped it
            orphaned += any(f".{pid}." in name for name in _temps(target))
            if target.exists():  # absent only until the first save completes
                saved = mt.load(target)
                assert saved["writer"] in writers and saved["i"] >= 0
                assert np.array_equal(saved["w"], w)
    finally:
        zygote.kill()
        zygote.wait()
    left = _temps(target)
    mt.save({"w": w, "writer": 0, "i": 0}, target)
    elapsed = time.perf_counter() - started
    print(
        f"\n{kills} kills in {elapsed:.1f} s (one save: {save_s * 1e3:.0f} ms): {orphaned} left "
        f"a temp file, {len(left)} there at the end, none after one more save"
    )
    assert orphaned > 0, "no kill landed mid-write: make the checkpoint bigger"
    assert os.listdir(tmp_path) == ["big.ckpt"]


def _temps(target: Path) -> list[str]:
    return [n for n in os.listdir(target.parent) if temp_pattern(target).fullmatch(n)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
