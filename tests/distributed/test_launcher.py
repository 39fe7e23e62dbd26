"""``python -m minitorch.distributed.run``: starts the ranks through mpiexec, like torchrun."""

import sys
from argparse import Namespace

import pytest

from minitorch.distributed import run
from tests.distributed.launch import SCRIPTS, needs_mpi, output, run_python


@needs_mpi
def test_two_ranks_get_torchruns_variables_and_their_arguments():
    result = run_python(
        "-m",
        "minitorch.distributed.run",
        "--nproc_per_node",
        "2",
        str(SCRIPTS / "launched.py"),
        "--epochs",
        "3",
        "-v",
    )
    assert result.returncode == 0, output(result)
    for rank in (0, 1):
        assert f"rank {rank} of 2: args ['--epochs', '3', '-v'] sum 1" in result.stdout


def test_without_mpi_it_says_which_two_packages_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match=r"pip install mpi4py mpich.*missing: mpiexec"):
        run.find_mpiexec()
    monkeypatch.setattr(run.shutil, "which", lambda name: "/usr/bin/mpiexec")
    monkeypatch.setattr(run.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SystemExit, match=r"pip install mpi4py mpich.*missing: mpi4py"):
        run.find_mpiexec()


def test_command_lines_for_one_and_several_machines():
    one = run.parse(["--nproc-per-node", "4", "train.py", "--lr", "0.1"])
    cmd = run.command(one, "mpiexec", "hydra")
    assert cmd[:3] == ["mpiexec", "-n", "4"]
    assert cmd[3:] == [
        sys.executable,
        "-m",
        "minitorch.distributed.child",
        "train.py",
        "--lr",
        "0.1",
    ]
    two = run.parse(
        ["--nnodes", "2", "--nproc-per-node", "4", "--hostfile", "hosts", "-m", "pkg.train"]
    )
    assert run.command(two, "mpiexec", "hydra")[:7] == [
        "mpiexec",
        "-n",
        "8",
        "-f",
        "hosts",
        "-ppn",
        "4",
    ]
    openmpi = run.command(two, "mpirun", "openmpi")
    assert openmpi[3:7] == ["--hostfile", "hosts", "--map-by", "ppr:4:node"]
    assert openmpi[-2:] == ["-m", "pkg.train"]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--nnodes", "2", "train.py"], "needs --hostfile"),
        (["--nnodes", "2", "--hostfile", "h", "--standalone", "train.py"], "one machine"),
        (["--nproc-per-node", "0", "train.py"], "at least 1"),
        (["--nproc-per-node", "many", "train.py"], "expected an int or 'auto'"),
    ],
)
def test_bad_arguments(argv, message, capsys):
    with pytest.raises(SystemExit):
        run.parse(argv)
    assert message in capsys.readouterr().err


def test_dry_run_prints_the_command(capsys, monkeypatch):
    monkeypatch.setattr(run, "find_mpiexec", lambda: "/x/mpiexec")
    assert run.main(["--nproc-per-node", "2", "--dry-run", "train.py"]) == 0
    assert capsys.readouterr().out.startswith("/x/mpiexec -n 2 ")
    assert isinstance(run.parse(["train.py"]), Namespace)
