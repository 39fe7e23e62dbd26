"""A failing rank ends the whole job quickly, with an error that says which rank and why."""

import time

from tests.distributed.launch import needs_mpi, output, run_ranks


@needs_mpi
def test_a_rank_that_raises_aborts_the_job_naming_it():
    start = time.monotonic()
    result = run_ranks(2, "failing_rank.py", "raise", "20", timeout=40)
    elapsed = time.monotonic() - start
    assert result.returncode != 0, output(result)
    assert "rank 1 failed: ValueError: rank one broke on purpose" in result.stderr, output(result)
    assert "unreachable" not in result.stdout
    assert elapsed < 15, f"took {elapsed:.1f} s: the abort should not wait for the timeout"


@needs_mpi
def test_a_rank_that_hangs_makes_the_others_fail_within_the_timeout():
    start = time.monotonic()
    result = run_ranks(2, "failing_rank.py", "hang", "1.5", timeout=40)
    elapsed = time.monotonic() - start
    assert result.returncode != 0, output(result)
    assert "all_reduce did not complete within 1.5 s on rank 0 of 2" in result.stderr
    assert "rank 0 failed: DistBackendError" in result.stderr, output(result)
    assert elapsed < 20, f"took {elapsed:.1f} s, rank 1 sleeps 60 s"
