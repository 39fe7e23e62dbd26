"""The README's Python snippets run as written (the GPU one only where a GPU exists)."""

import re
from pathlib import Path

import minitorch as mt

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)  # the checkpoint snippet writes a file
    namespace: dict = {}
    for block in blocks:
        if "cuda" in block and not mt.cuda.is_available():
            continue
        exec(compile(block, str(README), "exec"), namespace)
    assert (tmp_path / "digits.ckpt").exists()
    assert namespace["dx"].shape == (5, 4)
