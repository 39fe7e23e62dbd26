"""The Python blocks of the user guide (docs/*.md) run as written, page by page.

The blocks of one page share a namespace, in order, like a reader typing them into one session.
A page's GPU blocks run only where a GPU exists.
"""

import re
from pathlib import Path

import pytest

import minitorch as mt

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md") if "```python" in p.read_text())


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_python_blocks_run(page, tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(), flags=re.S)
    monkeypatch.chdir(tmp_path)  # a snippet that writes a file writes it here
    namespace: dict = {"__name__": f"docs.{page.stem}"}
    for block in blocks:
        if "cuda" in block and not mt.cuda.is_available():
            continue
        exec(compile(block, str(page), "exec"), namespace)


def test_the_contract_pages_have_runnable_examples():
    names = {p.name for p in PAGES}
    assert {"autograd.md", "CONTRIBUTING-LAYERS.md"} <= names
