"""DistributedDataParallel on 2 ranks: the equivalence with one process, and its features."""

from tests.distributed.launch import needs_mpi, output, run_ranks

CONFIGS = [
    "float32",
    "float64",
    "float32+no_sync",
    "float64+no_sync",
    "float32+view+small",
    "float64+no_sync+view+small",
]


@needs_mpi
def test_two_ranks_of_32_equal_one_process_of_64():
    """20 SGD-momentum steps; to 1e-6 in float32, 1e-12 in float64; also with no_sync()
    accumulation over 2 micro-batches, gradient_as_bucket_view and several buckets."""
    result = run_ranks(2, "ddp_equivalence.py", *CONFIGS)
    assert result.returncode == 0, output(result)
    for config in CONFIGS:
        assert result.stdout.count(f": {config}: worst") == 2, output(result)
    assert "FAILED" not in result.stdout


@needs_mpi
def test_ddp_broadcasts_buckets_handles_unused_parameters_and_reports_errors():
    result = run_ranks(2, "ddp_features.py")
    assert result.returncode == 0, output(result)
    assert result.stdout.count("features passed") == 2, output(result)
