"""ONNX export (``pip install onnx``), as ``torch.onnx``:
``minitorch.onnx.export(model, args, "model.onnx", dynamic_axes={"input": {0: "batch"}})``.

The model is traced once (``trace.py``); each recorded call becomes standard ONNX operators
(``walk.py`` walks the graph; ``ops.py``, ``layers.py``, ``norm.py``, ``recurrent.py`` and
``attention.py`` convert; ``graph.py`` builds). A call with no mapping raises
``UnsupportedOperatorError`` naming it and its module path.
"""

from minitorch.onnx.export import export
from minitorch.onnx.graph import UnsupportedOperatorError

__all__ = ["UnsupportedOperatorError", "export"]
