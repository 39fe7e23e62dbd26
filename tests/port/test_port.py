"""The port suite: PyTorch programs that should run on minitorch after changing their imports.

Each program in ``programs/`` is run under minitorch (it must finish and, for training programs,
its loss must fall) and, where PyTorch is installed, the same text with ``torch`` imports is run
too and the two must agree:

* training programs ("falls"): the final loss is at most ``falls_to`` times the first, under
  both frameworks; and the two final losses are within ``within`` (30 %) of each other, or both
  below ``or_below``. The frameworks draw different random numbers (initial weights, shuffles,
  dropout), so only the outcome is compared.
* value programs ("values"): the returned numbers do not depend on random draws, so they must
  match PyTorch's to ``rtol``.

A program that fails on minitorch because a feature is missing is marked
``xfail(strict=True, reason=<what is missing>)`` in ``GAPS`` (one that runs but disagrees with
PyTorch, in ``MISMATCHES``): the suite stays green, the gap stays visible, and the mark must go
once the feature lands (strict: an unexpected pass fails).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from tests.port import runner


@dataclass(frozen=True)
class Spec:
    kind: str = "falls"  # "falls" (a loss history) or "values" (deterministic numbers)
    falls_to: float = 0.7  # the final loss is at most this fraction of the first
    within: float = 0.30  # final losses within 30 % of each other ...
    or_below: float = 0.0  # ... or both below this
    rtol: float = 1e-4  # "values": relative tolerance against PyTorch


SPECS = {
    "blitz": Spec("values", rtol=1e-6),
    "char_lstm": Spec(falls_to=0.5, or_below=1.0),
    "checkpoint_resume": Spec(falls_to=0.3, or_below=0.25),
    "dataloader_workers": Spec(falls_to=0.5, or_below=0.4),
    "dcgan": Spec(falls_to=0.8, or_below=0.75),
    "hooks": Spec(falls_to=0.3, or_below=0.15),
    "micrograd_check": Spec("values", rtol=1e-9),
    "mingpt_adder": Spec(falls_to=0.8, or_below=1.8),
    "mlp_digits": Spec(falls_to=0.2, or_below=0.2),
    "mnist_cnn": Spec(falls_to=0.4, or_below=0.7),
    "nanogpt": Spec(falls_to=0.8, or_below=2.7),
    "nn_really": Spec(falls_to=0.5, or_below=1.0),
    "polynomial_autograd": Spec("values", rtol=1e-3),
    "polynomial_nn": Spec(falls_to=0.1, or_below=5000.0),
    "rnn_cells": Spec(falls_to=0.3, or_below=0.6),
    "time_sequence": Spec(falls_to=0.2, or_below=0.1),
    "transformer_lm": Spec(falls_to=0.7, or_below=2.2),
    "transformer_seq2seq": Spec(falls_to=0.8, or_below=1.9),
    "vae": Spec(falls_to=0.85, or_below=33.0),
}

# program -> what minitorch lacks (the programs are left as PyTorch users write them)
GAPS: dict[str, str] = {
    "blitz": "torch.add(..., out=)",
    "hooks": "torch.autograd.grad(create_graph=True)",
}
# program -> how minitorch's run differs from PyTorch's (it runs, the comparison fails)
MISMATCHES: dict[str, str] = {}

PROGRAMS = runner.program_names()


def marks(name: str, comparing: bool = False) -> list:
    reason = GAPS.get(name) or (MISMATCHES.get(name) if comparing else None)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def test_every_program_has_a_spec():
    assert sorted(SPECS) == PROGRAMS
    assert set(GAPS) | set(MISMATCHES) <= set(SPECS) and not set(GAPS) & set(MISMATCHES)


@pytest.fixture(scope="session")
def results():
    """Run each (program, framework) once per session, in one worker interpreter per framework."""
    workers = {fw: runner.Worker(fw) for fw in ("minitorch", "torch")}
    cache: dict[tuple[str, str], runner.Result | runner.ProgramError] = {}

    def get(name: str, framework: str) -> runner.Result:
        if (name, framework) not in cache:
            try:
                cache[name, framework] = workers[framework].run(name)
            except runner.ProgramError as e:
                cache[name, framework] = e
        outcome = cache[name, framework]
        if isinstance(outcome, runner.ProgramError):
            raise outcome
        return outcome

    yield get
    for worker in workers.values():
        worker.close()


@pytest.mark.parametrize("name", PROGRAMS)
def test_program_is_pytorch_text(name):
    """Only the marked import block names minitorch; the PyTorch copy differs only there."""
    mine, theirs = runner.source_for(name, "minitorch"), runner.source_for(name, "torch")
    assert "minitorch" not in theirs
    changed = [a for a, b in zip(mine.splitlines(), theirs.splitlines()) if a != b]
    assert changed and all(line.lstrip().startswith(("import ", "from ")) for line in changed)
    compile(theirs, name, "exec")


def check_history(spec: Spec, result: runner.Result) -> None:
    assert result.values and all(math.isfinite(v) for v in result.values), result.values
    if spec.kind == "falls":
        assert result.final <= spec.falls_to * result.values[0], (
            f"{result.framework}: loss went from {result.values[0]:.4g} to {result.final:.4g}, "
            f"expected at most {spec.falls_to:.0%} of the start"
        )


@pytest.mark.parametrize("name", [pytest.param(n, marks=marks(n)) for n in PROGRAMS])
def test_runs_on_minitorch(name, results):
    check_history(SPECS[name], results(name, "minitorch"))


@pytest.mark.parametrize("name", [pytest.param(n, marks=marks(n, True)) for n in PROGRAMS])
def test_matches_pytorch(name, results):
    pytest.importorskip("torch")
    spec = SPECS[name]
    theirs = results(name, "torch")
    check_history(spec, theirs)  # the program itself is sound under PyTorch
    mine = results(name, "minitorch")
    if spec.kind == "values":
        assert len(mine.values) == len(theirs.values)
        assert mine.values == pytest.approx(theirs.values, rel=spec.rtol, abs=1e-12)
    else:
        close = abs(mine.final - theirs.final) <= spec.within * theirs.final
        both_low = max(mine.final, theirs.final) < spec.or_below
        assert close or both_low, (
            f"final loss {mine.final:.4g} (minitorch) vs {theirs.final:.4g} (torch): not within "
            f"{spec.within:.0%} and not both below {spec.or_below:g}"
        )


def test_check_program_refuses_minitorch_outside_the_block():
    good = f"{runner.BEGIN}\nimport minitorch as torch\n{runner.END}\nx = torch.ones(2)\n"
    runner.check_program(good)
    with pytest.raises(ValueError, match="only the import block"):
        runner.check_program(good + "import minitorch\n")
    with pytest.raises(ValueError, match="not a minitorch import"):
        runner.check_program(good.replace("import minitorch as torch", "torch = 1"))
    with pytest.raises(ValueError, match="exactly one"):
        runner.check_program("import minitorch as torch\n")
