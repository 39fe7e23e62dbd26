"""``draw_graph``: the recorded graph behind some outputs, as DOT text and (optionally) images."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from minitorch.autograd import Tensor
from minitorch.viz.dot import to_dot
from minitorch.viz.snapshot import take

INSTALL_HINT = (
    "pip install graphviz (the Python package) and Graphviz's dot program "
    "(apt install graphviz, brew install graphviz, or graphviz.org/download)"
)


def rendering_available() -> bool:
    """True when images can be rendered: the ``graphviz`` package and ``dot`` are installed."""
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return False
    return shutil.which("dot") is not None


class GraphDrawing:
    """A drawing of a recorded graph, as returned by ``draw_graph``.

    The structure and forward values are those of the moment ``draw_graph`` was called; the
    gradients are those known when the text is produced, so a drawing made before
    ``loss.backward()`` shows the gradients after it (no ``retain_graph`` needed).
    ``source`` is the Graphviz DOT text (no dependency); ``save(path)`` writes it;
    ``render(path)`` writes an SVG/PNG/PDF image (needs the ``viz`` extra and ``dot``).
    """

    def __init__(self, snapshot: Any, full: bool, show_values: bool, show_grads: bool) -> None:
        self._snapshot = snapshot
        self._options = (full, show_values, show_grads)

    @property
    def source(self) -> str:
        """The DOT text, with the gradients known now."""
        return to_dot(self._snapshot, *self._options)

    def __str__(self) -> str:
        return self.source

    def __repr__(self) -> str:
        snap = self._snapshot
        return f"GraphDrawing({len(snap.calls)} calls, {len(snap.leaves)} leaves)"

    def save(self, path: Any) -> Path:
        """Write the DOT text to ``path`` (e.g. ``"graph.dot"``); returns the path."""
        path = Path(path)
        path.write_text(self.source, encoding="utf-8")
        return path

    def render(self, path: Any, format: str | None = None) -> Path:  # noqa: A002 (graphviz's)
        """Render to an image file: ``format`` ``"svg"``, ``"png"`` or ``"pdf"`` (default: the
        suffix of ``path``, else ``"svg"``, added to a path without one). Returns the path."""
        path = Path(path)
        fmt = (format or path.suffix.lstrip(".") or "svg").lower()
        if fmt not in ("svg", "png", "pdf"):
            raise ValueError(f"GraphDrawing.render: format must be svg, png or pdf, got {fmt!r}")
        if not path.suffix:
            path = path.with_suffix(f".{fmt}")
        path.write_bytes(_pipe(self.source, fmt))
        return path

    def _repr_svg_(self) -> str | None:
        """Jupyter shows the drawing as SVG when Graphviz is installed (else the repr)."""
        if not rendering_available():
            return None
        return _pipe(self.source, "svg").decode("utf-8")


def _pipe(source: str, fmt: str) -> bytes:
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(
            f"GraphDrawing.render needs Graphviz: {INSTALL_HINT}. The DOT text needs nothing: "
            "use .source or .save('graph.dot')"
        ) from error
    try:
        return graphviz.Source(source).pipe(format=fmt)
    except graphviz.ExecutableNotFound as error:
        raise RuntimeError(
            f"GraphDrawing.render: the graphviz package is installed but the dot program is "
            f"not on PATH: {INSTALL_HINT}. The DOT text needs nothing: use .source or .save()"
        ) from error


def draw_graph(*roots: Any, params: Any = None, show_values: bool | str = "auto",
               show_grads: bool = True, max_nodes: int = 200) -> GraphDrawing:  # fmt: skip
    """Draw the graph recorded behind ``roots`` (one or more output Tensors).

    Leaves are named from ``params``: a dict ``{name: Tensor}`` as in torchviz, pairs such as
    ``model.named_parameters()``, or a Module (its parameter names, and its sub-module names on
    the calls of its layers). Non-leaf tensors may be named too (``{"u": u}``): their call is
    then labelled ``u = Mul`` and their forward value is known. Each recorded call is a box with
    its Function/Layer name and output shape; a Layer's parameters are leaves feeding it, so a
    layer called twice draws two boxes fed by the same parameters.

    Args:
        show_values: ``"auto"`` writes forward values and gradients for tensors of at most 4
            elements (larger ones get the norm of their gradient), ``True`` for every tensor
            (long ones abridged), ``False`` never (gradient norms only).
        show_grads: write gradients (``dJ/da = 3`` when the one output is named ``J``).
        max_nodes: draw at most this many recorded calls, those nearest the outputs.

    Call it before ``backward()``: a backward without ``retain_graph`` releases the graph, and
    the drawing returned here writes in the gradients that backward computes.
    """
    flat = [t for r in roots for t in (r if isinstance(r, (tuple, list)) else (r,))]
    if not flat:
        raise TypeError("draw_graph expects at least one output Tensor, got none")
    for i, t in enumerate(flat):
        if not isinstance(t, Tensor):
            raise TypeError(f"draw_graph: output {i} must be a Tensor, got {type(t).__name__}")
    if show_values not in (True, False, "auto"):
        raise ValueError(f"draw_graph: show_values must be True, False or 'auto', got "
                         f"{show_values!r}")  # fmt: skip
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes must be a positive int, got {max_nodes!r}")
    full = show_values is True
    snapshot = take(flat, params, full, max_nodes)
    return GraphDrawing(snapshot, full, show_values is not False, bool(show_grads))
