"""``python -m minitorch.distributed.run``: start N ranks of a training script, like torchrun.

    python -m minitorch.distributed.run --nproc-per-node 2 train.py --epochs 5
    python -m minitorch.distributed.run --nnodes 2 --nproc-per-node 4 --hostfile hosts train.py

The ranks are started by ``mpiexec`` (MPICH's Hydra or Open MPI, found beside this Python or on
PATH), each through ``minitorch.distributed.child``, which sets torchrun's variables (``RANK``,
``WORLD_SIZE``, ``LOCAL_RANK``, ``LOCAL_WORLD_SIZE``) before running the script, so
``init_process_group("mpi")`` or ``("nccl")`` needs no arguments. As torchrun, it sets
``OMP_NUM_THREADS=1`` for each rank unless it is set already. The exit status is mpiexec's.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

INSTALL_HINT = (
    "minitorch.distributed.run starts the ranks with MPI, which is not installed here. "
    "Install the two packages: pip install mpi4py mpich"
)


def find_mpiexec() -> str:
    """``mpiexec`` beside the running Python (a virtual environment's, where pip's ``mpich``
    puts it), else on PATH; SystemExit with the install hint when there is none or no mpi4py."""
    here = Path(sys.executable).parent / "mpiexec"
    found = str(here) if here.is_file() and os.access(here, os.X_OK) else shutil.which("mpiexec")
    if found is None or importlib.util.find_spec("mpi4py") is None:
        missing = "mpiexec" if found is None else "mpi4py"
        raise SystemExit(f"{INSTALL_HINT} (missing: {missing})")
    return found


def flavour(mpiexec: str) -> str:
    """``"openmpi"`` or ``"hydra"`` (MPICH, Intel MPI), from ``mpiexec --version``."""
    try:
        text = subprocess.run([mpiexec, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "hydra"
    return "openmpi" if "open mpi" in (text.stdout + text.stderr).lower() else "hydra"


def command(args: argparse.Namespace, mpiexec: str, kind: str) -> list[str]:
    """The mpiexec command line that starts every rank."""
    total = args.nproc_per_node * args.nnodes
    cmd = [mpiexec, "-n", str(total)]
    if args.hostfile:
        cmd += (
            ["-f", args.hostfile, "-ppn"]
            if kind == "hydra"
            else ["--hostfile", args.hostfile, "--map-by"]
        )
        cmd.append(
            str(args.nproc_per_node) if kind == "hydra" else f"ppr:{args.nproc_per_node}:node"
        )
    target = ["-m", args.script] if args.module else [args.script]
    return cmd + [sys.executable, "-m", "minitorch.distributed.child", *target, *args.script_args]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m minitorch.distributed.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--nproc-per-node",
        "--nproc_per_node",
        type=_count,
        default=1,
        help="ranks per machine (an int, or 'auto' = the visible GPUs, else 1)",
    )
    parser.add_argument("--nnodes", type=int, default=1, help="machines (needs --hostfile if >1)")
    parser.add_argument("--hostfile", help="MPI host file: one machine name per line")
    parser.add_argument(
        "--standalone",
        action="store_true",
        help="one machine only (refuses --nnodes > 1); the default anyway",
    )
    parser.add_argument(
        "-m",
        "--module",
        action="store_true",
        help="run the script argument as a module, as python -m",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the command, run nothing")
    parser.add_argument("script", help="the training script (or module with -m)")
    parser.add_argument("script_args", nargs=argparse.REMAINDER, help="its arguments")
    args = parser.parse_args(argv)
    if args.nproc_per_node < 1 or args.nnodes < 1:
        parser.error("--nproc-per-node and --nnodes must be at least 1")
    if args.nnodes > 1 and args.standalone:
        parser.error("--standalone runs on one machine: drop --nnodes or --standalone")
    if args.nnodes > 1 and not args.hostfile:
        parser.error("--nnodes > 1 needs --hostfile (the machines, one per line)")
    return args


def _count(text: str) -> int:
    if text == "auto":
        from minitorch.backend import cuda_device_count

        return cuda_device_count() or 1
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an int or 'auto', got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    mpiexec = find_mpiexec()
    cmd = command(args, mpiexec, flavour(mpiexec) if args.hostfile else "hydra")
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    env = dict(os.environ)
    if "OMP_NUM_THREADS" not in env and args.nproc_per_node > 1:
        env["OMP_NUM_THREADS"] = "1"
        print(
            "minitorch.distributed.run: setting OMP_NUM_THREADS=1 for each rank (set it "
            "yourself to choose another value)",
            file=sys.stderr,
        )
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
