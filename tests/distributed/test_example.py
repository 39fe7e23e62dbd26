"""examples/train_digits_ddp.py: 2 ranks under mpiexec, and 1 process without it."""

from tests.distributed.launch import ROOT, needs_mpi, output, run_python, run_ranks

EXAMPLE = ROOT / "examples" / "train_digits_ddp.py"


def _accuracy(stdout: str) -> float:
    finals = [line for line in stdout.splitlines() if line.startswith("test accuracy")]
    assert len(finals) == 1, stdout  # rank 0 reports, the other ranks stay quiet
    return float(finals[0].split()[2].rstrip("%")) / 100


@needs_mpi
def test_two_ranks_and_one_process_make_the_same_run():
    two = run_ranks(2, EXAMPLE, "--epochs", "3")
    assert two.returncode == 0 and "2 rank(s)" in two.stdout, output(two)
    assert _accuracy(two.stdout) > 0.9, output(two)
    single = run_python(str(EXAMPLE), "--epochs", "3")
    assert single.returncode == 0 and "1 rank(s)" in single.stdout, output(single)
    # the same global batches in the same order: the same losses, to the printed digits
    epochs = [line for line in single.stdout.splitlines() if line.startswith("epoch")]
    assert epochs and epochs == [
        line for line in two.stdout.splitlines() if line.startswith("epoch")
    ], output(single) + output(two)
    assert _accuracy(single.stdout) == _accuracy(two.stdout)
