"""The documentation site (mkdocs.yml, docs/): ``mkdocs build --strict`` passes, the API reference
covers every public module, and the interop page's examples that need optional packages
(PyTorch, safetensors, onnx, onnxruntime; fenced ```py so that tests/test_docs.py, which runs
the ```python blocks everywhere, leaves them out) run where those packages are installed."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PUBLIC = ["minitorch", "minitorch.nn", "minitorch.nn.functional", "minitorch.nn.init",
          "minitorch.optim", "minitorch.optim.lr_scheduler", "minitorch.data", "minitorch.utils",
          "minitorch.train", "minitorch.onnx"]  # fmt: skip


def _missing(*modules: str) -> list[str]:
    """The modules of ``modules`` that can't be found (a dotted name whose parent is missing
    counts as missing, rather than raising)."""
    out = []
    for m in modules:
        try:
            found = importlib.util.find_spec(m) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            out.append(m)
    return out


def test_the_api_reference_covers_every_public_module():
    directives = set()
    for page in (DOCS / "reference").glob("*.md"):
        directives |= set(re.findall(r"^::: ([\w.]+)", page.read_text(), flags=re.M))
    assert set(PUBLIC) <= directives, sorted(set(PUBLIC) - directives)
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in (DOCS / "reference").glob("*.md"):
        assert f"reference/{page.name}" in nav, f"{page.name} is not in mkdocs.yml's nav"


def test_mkdocs_build_strict(tmp_path):
    missing = _missing("mkdocs", "material", "mkdocstrings", "mkdocstrings_handlers.python")
    if missing:
        pytest.skip(f"needs the docs extra (pip install '.[docs]'); missing {missing}")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    reference = (tmp_path / "site" / "reference" / "nn" / "index.html").read_text()
    assert 'id="minitorch.nn.Linear"' in reference  # generated from the docstrings


def test_interop_page_runs_with_the_optional_packages(tmp_path, monkeypatch):
    missing = _missing("torch", "safetensors", "onnx", "onnxruntime")
    if missing:
        pytest.skip(f"the interop examples need {missing}")
    page = DOCS / "interop.md"
    blocks = re.findall(r"```py(?:thon)?\n(.*?)```", page.read_text(), flags=re.S)
    assert any("onnx" in b for b in blocks) and any("safetensors" in b for b in blocks)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "docs.interop"}
    for block in blocks:
        exec(compile(block, str(page), "exec"), namespace)
    assert (tmp_path / "model.onnx").exists() and (tmp_path / "model.safetensors").exists()
