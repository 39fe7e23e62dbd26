"""The examples import their shared argument types (``examples/cli_args.py``) as a sibling
module, as they do when run as scripts; tests load them by path, so put examples/ on sys.path."""

import sys
from pathlib import Path

EXAMPLES = str(Path(__file__).resolve().parents[2] / "examples")
if EXAMPLES not in sys.path:
    sys.path.insert(0, EXAMPLES)
