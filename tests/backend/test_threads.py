"""``get_num_threads`` / ``set_num_threads``: a real effect through threadpoolctl, a warning
without it."""

from __future__ import annotations

import sys

import pytest

import minitorch as mt


def test_set_num_threads_changes_the_blas_pool():
    tpc = pytest.importorskip("threadpoolctl")
    before = mt.get_num_threads()
    try:
        mt.set_num_threads(1)
        assert mt.get_num_threads() == 1
        blas = [p for p in tpc.threadpool_info() if p["user_api"] == "blas"]
        assert blas and all(p["num_threads"] == 1 for p in blas)
    finally:
        mt.set_num_threads(before)
    assert mt.get_num_threads() == before


def test_without_threadpoolctl_set_warns_and_get_reads_the_environment(monkeypatch):
    monkeypatch.setitem(sys.modules, "threadpoolctl", None)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert mt.get_num_threads() == 3
    with pytest.warns(RuntimeWarning, match="set_num_threads had no effect.*threadpoolctl"):
        mt.set_num_threads(2)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_set_num_threads_wants_a_positive_int(bad):
    with pytest.raises(ValueError, match="positive integer"):
        mt.set_num_threads(bad)
