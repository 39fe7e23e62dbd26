"""Three small computation graphs, run forward and backward with minitorch and drawn.

    python examples/computation_graph.py                 # prints; writes graphs/*.dot (+ .svg)
    python examples/computation_graph.py --out /tmp/g --format png

1. J = 3(a + b c), computed in steps u = b c, v = a + u, J = 3 v, at a = 5, b = 3, c = 2.
   Forward, left to right: u = 6, v = 11, J = 33. Backward, right to left, one local derivative
   per step: dJ/dv = 3; dv/da = dv/du = 1, so dJ/da = dJ/du = 3; du/db = c and du/dc = b, so
   dJ/db = 3 * 2 = 6 and dJ/dc = 3 * 3 = 9.
2. e = (a + b)(b + 1) at a = 2, b = 1: e = 6. b reaches e along two paths, and its derivative is
   the sum over paths of the product of the edges on each: de/db = (b + 1) + (a + b) = 5;
   de/da = b + 1 = 2.
3. f = (x + y) z at x = -2, y = 5, z = -4: f = -12. The add gate passes its gradient df/dq = z =
   -4 unchanged to both inputs; the multiply gate swaps its inputs: df/dz = x + y = 3.

For each, the gradients that ``backward()`` finds are printed next to what nudging one input by
h = 0.001 does to the output (the meaning of a derivative), and checked against the numbers
above. ``viz.draw_graph`` is called before ``backward()`` and its drawing shows the values and,
once backward has run, the gradients on every node (DOT always; SVG/PNG with Graphviz).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

import minitorch as mt
from minitorch import viz

H = 1e-3  # the nudge


def j_graph(a: mt.Tensor, b: mt.Tensor, c: mt.Tensor) -> tuple[mt.Tensor, dict]:
    u = b * c
    v = a + u
    return 3 * v, {"u": u, "v": v}


def e_graph(a: mt.Tensor, b: mt.Tensor) -> tuple[mt.Tensor, dict]:
    c = a + b
    d = b + 1
    return c * d, {"c": c, "d": d}


def f_graph(x: mt.Tensor, y: mt.Tensor, z: mt.Tensor) -> tuple[mt.Tensor, dict]:
    q = x + y
    return q * z, {"q": q}


# name: (graph, inputs, expected output, expected gradients)
EXAMPLES: dict[str, tuple[Callable, dict, float, dict]] = {
    "J": (j_graph, {"a": 5.0, "b": 3.0, "c": 2.0}, 33.0, {"a": 3.0, "b": 6.0, "c": 9.0}),
    "e": (e_graph, {"a": 2.0, "b": 1.0}, 6.0, {"a": 2.0, "b": 5.0}),
    "f": (f_graph, {"x": -2.0, "y": 5.0, "z": -4.0}, -12.0, {"x": -4.0, "y": -4.0, "z": 3.0}),
}


def run(name: str, out_dir: Path, fmt: str) -> dict:
    """Forward, draw, backward, nudge, check; returns the values, gradients and files."""
    graph, inputs, expected, expected_grads = EXAMPLES[name]
    leaves = {k: mt.tensor(v, dtype=mt.float64, requires_grad=True) for k, v in inputs.items()}
    out, inner = graph(**leaves)
    for t in inner.values():
        t.retain_grad()  # keep the gradients of the intermediate steps too
    drawing = viz.draw_graph(out, params={**leaves, **inner, name: out})
    out.backward()

    args = ", ".join(f"{k}={v:g}" for k, v in inputs.items())
    steps = ", ".join(f"{k} = {t.item():g}" for k, t in inner.items())
    print(f"{name} at {args}: {steps}, {name} = {out.item():g}")
    for k, t in inner.items():
        print(f"  d{name}/d{k} = {t.grad.item():g}")
    grads = {}
    for k, leaf in leaves.items():
        grads[k] = leaf.grad.item()
        with mt.no_grad():
            moved = graph(**{**leaves, k: leaf + H})[0].item() - out.item()
        print(f"  d{name}/d{k} = {grads[k]:g}   (nudge {k} by {H}: {name} moves by "
              f"{moved:+.6f}, {moved / H:.4f} times the nudge)")  # fmt: skip
        assert abs(grads[k] - expected_grads[k]) < 1e-12, (k, grads[k])
    assert out.item() == expected, out.item()

    files = [drawing.save(out_dir / f"{name}.dot")]
    if viz.rendering_available():
        files.append(drawing.render(out_dir / f"{name}.{fmt}"))
    print("  drawn: " + ", ".join(str(f) for f in files))
    return {"value": out.item(), "grads": grads, "dot": drawing.source, "files": files}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--out", default="graphs", help="folder for the drawings")
    parser.add_argument(
        "--format",
        default="svg",
        choices=["svg", "png", "pdf"],
        help="image format (with Graphviz's dot installed)",
    )
    args = parser.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {name: run(name, out_dir, args.format) for name in EXAMPLES}
    if not viz.rendering_available():
        print(f"(DOT files only: for images, {viz.drawing.INSTALL_HINT})")
    return results


if __name__ == "__main__":
    main()
