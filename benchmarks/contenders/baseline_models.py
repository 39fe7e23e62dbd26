"""baseline contender: minitorch from another checkout, for before/after runs of a change.

``python benchmarks/run.py --baseline PATH`` runs the minitorch found at ``PATH`` (e.g. a git
worktree of the commit before a change: ``git worktree add ../base HEAD~1``) as one more
contender, interleaved with the current one in the same rounds, so both see the same machine.
The run passes the path in ``MINITORCH_BASELINE``; the models are minitorch's own contender.
"""

import os
import sys
from pathlib import Path

_path = os.environ.get("MINITORCH_BASELINE")
if not _path:
    raise ImportError("no baseline checkout given (python benchmarks/run.py --baseline PATH)")
sys.path.insert(0, str(Path(_path).resolve()))

import minitorch as mt  # noqa: E402  (the baseline's, found first on sys.path)
from benchmarks.contenders.minitorch_models import build  # noqa: E402, F401
from benchmarks.contenders.minitorch_models import setup as _setup  # noqa: E402

if not Path(mt.__file__).resolve().is_relative_to(Path(_path).resolve()):
    raise ImportError(f"minitorch was imported from {mt.__file__}, not from {_path}")


def setup(device: str, options: dict) -> dict:
    info = _setup(device, options)
    info["path"] = str(Path(mt.__file__).resolve().parents[1])
    return info
