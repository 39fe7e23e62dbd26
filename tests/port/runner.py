"""Run the port programs under minitorch or under PyTorch.

A program in ``tests/port/programs/`` is a PyTorch program whose import lines point at
minitorch. Those lines sit in one marked block::

    # --- imports (the only lines that differ from PyTorch) ---
    import minitorch as torch
    import minitorch.nn as nn
    # --- end of imports ---

The PyTorch copy is the same text with ``minitorch`` replaced by ``torch`` inside that block and
nowhere else (``import torch as torch`` is valid Python). Everything outside the block is plain
PyTorch and must not name minitorch (``check_program`` enforces it). Each program defines
``main() -> list[float]``: its loss history (or, for the programs that check values rather than
train, the values it computed).

Tests use a ``Worker``: one child interpreter per framework that runs programs on request, each
as a fresh module. The child has one BLAS/OpenMP thread (thread pools spin badly on a small
shared machine: 15x slower here) and pays PyTorch's import and first-step warm-up once, not once
per program. ``python tests/port/runner.py`` prints a table of every program under both.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import queue
import re
import subprocess
import sys
import threading
import time
import traceback
import types
from dataclasses import asdict, dataclass
from pathlib import Path

PROGRAMS = Path(__file__).resolve().parent / "programs"
BEGIN = "# --- imports (the only lines that differ from PyTorch) ---"
END = "# --- end of imports ---"
IMPORT_LINE = re.compile(
    r"^(import minitorch[\w.]*( as \w+)?|from minitorch[\w.]* import [\w, ()]+)$"
)
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
MARK = "@@port-result@@ "  # prefixes the child's answer lines; anything else it prints is noise


def program_names() -> list[str]:
    """Every program file (helpers such as ``digits_data.py`` carry no import block)."""
    return sorted(p.stem for p in PROGRAMS.glob("*.py") if BEGIN in p.read_text())


def split_program(text: str) -> tuple[str, str, str]:
    """(before, import block, after) of a program's text; ValueError when the block is absent."""
    if text.count(BEGIN) != 1 or text.count(END) != 1:
        raise ValueError(f"a port program has exactly one {BEGIN!r} ... {END!r} block")
    before, rest = text.split(BEGIN)
    block, after = rest.split(END)
    return before, block, after


def check_program(text: str) -> None:
    """ValueError unless only the marked block names minitorch and it holds only imports."""
    before, block, after = split_program(text)
    for line in block.strip().splitlines():
        if not IMPORT_LINE.match(line.strip()):
            raise ValueError(
                f"the import block holds a line that is not a minitorch import: {line}"
            )
    for part in (before, after):
        if "minitorch" in part:
            raise ValueError("only the import block may name minitorch")


def source_for(name: str, framework: str) -> str:
    """The program's text for ``framework`` ('minitorch' as written, or 'torch')."""
    text = (PROGRAMS / f"{name}.py").read_text()
    check_program(text)
    if framework == "minitorch":
        return text
    if framework != "torch":
        raise ValueError(f"framework must be 'minitorch' or 'torch', got {framework!r}")
    before, block, after = split_program(text)
    return before + BEGIN + block.replace("minitorch", "torch") + END + after


@dataclass
class Result:
    name: str
    framework: str
    values: list[float]
    seconds: float  # main() only: imports and class definitions are not timed
    output: str

    @property
    def final(self) -> float:
        return self.values[-1]


def run(name: str, framework: str) -> Result:
    """Execute the program as a fresh module in this process and call its ``main()``."""
    code = compile(source_for(name, framework), str(PROGRAMS / f"{name}.py"), "exec")
    module = types.ModuleType(f"port_{framework}_{name}")
    module.__file__ = str(PROGRAMS / f"{name}.py")
    sys.modules[module.__name__] = module  # dataclasses and pickling look classes up here
    sys.path.insert(0, str(PROGRAMS))  # the shared data helper, as a local module next to it
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(code, module.__dict__)
            start = time.perf_counter()
            values = [float(v) for v in module.main()]
            seconds = time.perf_counter() - start
    finally:
        sys.path.remove(str(PROGRAMS))
        del sys.modules[module.__name__]
    return Result(name, framework, values, seconds, out.getvalue())


class ProgramError(RuntimeError):
    """A program raised (its traceback is the message) or ran past its time limit."""


class Worker:
    """A child interpreter that runs programs of one framework on request."""

    def __init__(self, framework: str) -> None:
        self.framework = framework
        self.process: subprocess.Popen | None = None
        self.lines: queue.Queue[str] = queue.Queue()

    def start(self) -> None:
        import minitorch  # the child imports the very minitorch this process imports

        root = str(Path(minitorch.__file__).resolve().parents[1])
        env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, "1")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", self.framework],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.lines), daemon=True).start()

    @staticmethod
    def _read(process: subprocess.Popen, lines: queue.Queue) -> None:
        for line in process.stdout:
            if line.startswith(MARK):
                lines.put(line[len(MARK) :])
        lines.put("")  # the child has gone

    def run(self, name: str, timeout: float = 120.0) -> Result:
        """The program's Result; ProgramError with its traceback when it fails or hangs."""
        if self.process is None or self.process.poll() is not None:
            self.start()
        self.process.stdin.write(name + "\n")
        self.process.stdin.flush()
        try:
            answer = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.close()
            raise ProgramError(f"{name} under {self.framework} ran past {timeout:.0f} s") from None
        if not answer:
            self.close()
            raise ProgramError(f"{name} under {self.framework} killed its interpreter")
        reply = json.loads(answer)
        if "error" in reply:
            raise ProgramError(f"{name} under {self.framework} failed:\n{reply['error']}")
        return Result(**reply)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


def warm_up(framework: str) -> None:
    """One optimizer step, so that no program's time holds PyTorch's lazy first-step imports."""
    import importlib

    t = importlib.import_module(framework)
    p = t.nn.Parameter(t.zeros(3))
    optimizer = t.optim.Adam([p], lr=0.1)
    (p * p).sum().backward()
    optimizer.step()


def serve(framework: str) -> None:
    """The child's loop: a program name per line in, one marked JSON line out."""
    warm_up(framework)
    for line in sys.stdin:
        name = line.strip()
        try:
            reply = asdict(run(name, framework))
            reply["output"] = reply["output"][-4000:]
        except BaseException:  # noqa: B036  (SystemExit from argparse is a failure too)
            reply = {"error": traceback.format_exc()}
        print(MARK + json.dumps(reply), flush=True)


def main() -> None:
    """A table of every program's final value and time under both frameworks."""
    workers = {fw: Worker(fw) for fw in ("minitorch", "torch")}
    print(f"{'program':24s} {'minitorch':>10s} {'s':>6s} {'torch':>10s} {'s':>6s}")
    for name in program_names():
        cells = []
        for framework, worker in workers.items():
            try:
                r = worker.run(name)
                cells += [f"{r.final:10.4g}", f"{r.seconds:6.2f}"]
            except ProgramError as e:
                cells += [f"{'FAILED':>10s}", f"{math.nan:6.2f}"]
                print(
                    f"  {name} [{framework}]: {str(e).strip().splitlines()[-1]}", file=sys.stderr
                )
        print(f"{name:24s} " + " ".join(cells), flush=True)
    for worker in workers.values():
        worker.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2])
    else:
        main()
