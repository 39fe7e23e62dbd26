"""Every collective and reduce op against NumPy, on 2 and 3 ranks (scripts/collectives.py)."""

import pytest

from tests.distributed.launch import needs_mpi, output, run_ranks


@needs_mpi
@pytest.mark.parametrize("ranks", [2, 3])
def test_collectives_match_numpy(ranks):
    result = run_ranks(ranks, "collectives.py")
    assert result.returncode == 0, output(result)
    assert result.stdout.count(f"of {ranks}:") == ranks, output(result)
    assert "checks passed" in result.stdout
