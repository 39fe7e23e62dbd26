"""``minitorch.optim`` sits beside ``minitorch.nn``, not above it: optimizers work on any leaf
Tensors, so no optim module imports anything from ``minitorch.nn``."""

import ast
from pathlib import Path

import pytest

import minitorch

ROOT = Path(minitorch.__file__).parent.parent  # the directory that holds the package


def imported_modules(path: Path, root: Path = ROOT) -> list[str]:
    """Every module an ``import`` or ``from ... import`` in ``path`` names: relative imports
    resolved against its package, and ``from minitorch import nn`` counted as ``minitorch.nn``."""
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return names


def is_nn(name: str) -> bool:
    return name == "minitorch.nn" or name.startswith("minitorch.nn.")


def test_no_optim_module_imports_nn():
    files = sorted((ROOT / "minitorch" / "optim").rglob("*.py"))
    assert len(files) >= 8  # the optimizers and the lr_scheduler package
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in imported_modules(path)
        if is_nn(name)
    ]
    assert offenders == []


@pytest.mark.parametrize("source", ["from minitorch import nn", "import minitorch.nn.init",
                                    "from minitorch.nn.parameter import Parameter",
                                    "from ...nn import init", "from .. import nn"])  # fmt: skip
def test_the_check_sees_every_form_of_nn_import(tmp_path, source):
    path = tmp_path / "minitorch" / "optim" / "sub" / "mod.py"
    path.parent.mkdir(parents=True)
    path.write_text(source + "\n")
    expected = source != "from .. import nn"  # that one is minitorch.optim.nn
    assert any(is_nn(n) for n in imported_modules(path, tmp_path)) == expected
