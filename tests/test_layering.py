"""Package hygiene: no module imports an underscored name (or module) from another module.

PyTorch's own base-class names ``_Loss`` and ``_WeightedLoss`` are the one exception.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "minitorch"
ALLOWED = {"_Loss", "_WeightedLoss"}


def private_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("minitorch")
        ):
            parts = node.module.split(".")
            found += [f"module {node.module}" for p in parts if p.startswith("_")][:1]
            found += [
                a.name for a in node.names if a.name.startswith("_") and a.name not in ALLOWED
            ]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if a.name.startswith("minitorch") and any(p.startswith("_") for p in
                                                                a.name.split("."))]  # fmt: skip
    return found


def test_no_module_imports_a_private_name_from_another():
    offenders = {}
    for path in PACKAGE.rglob("*.py"):
        names = private_imports(path.read_text())
        if names:
            offenders[str(path.relative_to(PACKAGE))] = names
    assert not offenders, offenders


def test_the_check_sees_private_imports():
    assert private_imports("from minitorch.nn.layers._im2col import pad") == [
        "module minitorch.nn.layers._im2col"
    ]
    assert private_imports("from minitorch.autograd.function import _record") == ["_record"]
    assert private_imports("from minitorch.nn.losses.base import _Loss") == []
    assert private_imports("import minitorch._atomic") == ["minitorch._atomic"]
