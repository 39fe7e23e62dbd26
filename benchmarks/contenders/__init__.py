"""Contenders: one module per library, each run in its own worker process.

A contender module provides ``setup(device, options) -> dict`` (imports the library, returns
versions and settings) and ``build(kind, name, spec, device, seed) -> (step, info)`` where
``kind`` is ``"model"`` or ``"layer"`` and ``step`` has ``zero_grad``, ``forward``,
``backward``, ``step``, ``sync`` and ``loss_value``. Raising ``Unavailable`` means "n/a".
"""

CONTENDERS = {
    "torch": "benchmarks.contenders.torch_models",
    "floor": "benchmarks.contenders.floor_models",
    "minitorch": "benchmarks.contenders.minitorch_models",
    "baseline": "benchmarks.contenders.baseline_models",  # run.py --baseline PATH
}


class Unavailable(Exception):
    """This contender cannot run this benchmark (library or layer missing): report "n/a"."""
