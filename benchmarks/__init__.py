"""Speed and memory benchmarks of minitorch against PyTorch and a hand-written NumPy floor.

Entry points: ``python benchmarks/run.py`` (training steps) and ``python benchmarks/layers.py``
(per-layer forward+backward). See ``benchmarks/README.md``.
"""
