"""One rank started by ``minitorch.distributed.run``: set torchrun's variables, run the script.

    mpiexec -n 2 python -m minitorch.distributed.child train.py args...
    mpiexec -n 2 python -m minitorch.distributed.child -m package.train args...

``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK`` and ``LOCAL_WORLD_SIZE`` come from the MPI launcher's
own variables (see ``rendezvous.launcher_env``); the script then runs as ``__main__`` with its
own ``sys.argv`` and its directory first on ``sys.path``, as ``python train.py`` would.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

from minitorch.distributed.rendezvous import launcher_env


def main(argv: list[str]) -> None:
    if not argv or argv == ["-m"]:
        raise SystemExit("usage: python -m minitorch.distributed.child [-m] SCRIPT [ARGS...]")
    found = launcher_env()
    if found is not None:
        for name, key in (
            ("RANK", "rank"),
            ("WORLD_SIZE", "world_size"),
            ("LOCAL_RANK", "local_rank"),
            ("LOCAL_WORLD_SIZE", "local_world_size"),
        ):
            os.environ.setdefault(name, str(found[key]))
    if argv[0] == "-m":
        sys.argv = [argv[1], *argv[2:]]
        runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        return
    script = argv[0]
    sys.argv = list(argv)
    sys.path.insert(0, str(Path(script).resolve().parent))
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
