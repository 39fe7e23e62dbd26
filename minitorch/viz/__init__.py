"""Backpropagation made visible: ``draw_graph`` turns the recorded graph into a drawing.

    from minitorch import viz
    u = b * c; v = a + u; J = 3 * v
    drawing = viz.draw_graph(J, params={"a": a, "b": b, "c": c, "u": u, "v": v, "J": J})
    J.backward()
    print(drawing.source)        # Graphviz DOT text: values and, now, gradients on the nodes
    drawing.render("J.svg")      # an image, with the ``viz`` extra and Graphviz's dot program

The DOT text needs nothing beyond minitorch; images need ``pip install graphviz`` and
the ``dot`` program. For gradients per layer over training see ``minitorch.utils.inspect``.
"""

from minitorch.viz.drawing import GraphDrawing, draw_graph, rendering_available

__all__ = ["GraphDrawing", "draw_graph", "rendering_available"]
