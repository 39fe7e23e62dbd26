"""``viz.draw_graph``: the DOT text of recorded graphs, with values and gradients on the nodes."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

import minitorch as mt
from minitorch import nn, viz


def labels(source: str) -> dict[str, str]:
    """DOT node id -> its label, with the escaped newlines turned back into newlines."""
    found = re.findall(r'^  (\w+) \[label="((?:[^"\\]|\\.)*)"', source, flags=re.M)
    return {node: label.replace("\\n", "\n") for node, label in found}


def edges(source: str) -> list[tuple[str, str]]:
    return re.findall(r"^  (\w+) -> (\w+)", source, flags=re.M)


def by_title(source: str) -> dict[str, str]:
    """First label line (the name) -> the whole label."""
    return {label.split("\n")[0]: label for label in labels(source).values()}


def j_graph(device: str = "cpu"):
    a, b, c = (mt.tensor(v, requires_grad=True, device=device) for v in (5.0, 3.0, 2.0))
    u = b * c
    v = a + u
    J = 3 * v
    names = {"a": a, "b": b, "c": c, "u": u, "v": v, "J": J}
    return J, names


def test_j_example_nodes_values_and_gradients(device):
    J, names = j_graph(device)
    drawing = viz.draw_graph(J, params=names)
    before = by_title(drawing.source)
    assert set(before) == {"a", "b", "c", "u = Mul", "v = Add", "J = Mul"}
    assert "value = 33" in before["J = Mul"] and "value = 6" in before["u = Mul"]
    assert "value = 11" in before["v = Add"] and "value = 5" in before["a"]
    assert "dJ/" not in drawing.source  # no gradient before backward
    J.backward()  # no retain_graph: the drawing was taken at forward
    after = by_title(drawing.source)
    assert "dJ/da = 3" in after["a"] and "dJ/db = 6" in after["b"] and "dJ/dc = 9" in after["c"]
    assert "dJ/du = 3" in after["u = Mul"] and "dJ/dv = 3" in after["v = Add"]
    assert "dJ/dJ = 1" in after["J = Mul"]
    ids = {label.split("\n")[0]: node for node, label in labels(drawing.source).items()}
    assert sorted(edges(drawing.source)) == sorted(
        [(ids["b"], ids["u = Mul"]), (ids["c"], ids["u = Mul"]), (ids["a"], ids["v = Add"]),
         (ids["u = Mul"], ids["v = Add"]), (ids["v = Add"], ids["J = Mul"])]
    )  # fmt: skip


def test_a_tensor_on_two_paths_is_one_leaf_with_the_summed_gradient():
    a, b = mt.tensor(2.0, requires_grad=True), mt.tensor(1.0, requires_grad=True)
    e = (a + b) * (b + 1)
    drawing = viz.draw_graph(e, params={"a": a, "b": b, "e": e})
    e.backward()
    nodes = by_title(drawing.source)
    assert "value = 6" in nodes["e = Mul"]
    assert "de/da = 2" in nodes["a"] and "de/db = 5" in nodes["b"]
    b_id = next(n for n, label in labels(drawing.source).items() if label.startswith("b\n"))
    assert sum(src == b_id for src, _ in edges(drawing.source)) == 2


def test_unnamed_nodes_use_plain_grad_and_show_values_controls_numbers():
    x = mt.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = mt.ones(5, requires_grad=True)
    y = (x * 2).sum() + (w * 3).sum()
    auto = viz.draw_graph(y)
    never = viz.draw_graph(y, show_values=False)
    always = viz.draw_graph(y, show_values=True)
    y.backward()
    assert "value = [1, 2, 3]" in auto.source and "grad = [2, 2, 2]" in auto.source
    assert "(5,)\n‖grad‖ = 6.708" in "\n".join(labels(auto.source).values())  # 5 > 4 elements
    assert "value =" not in never.source and "‖grad‖ = 3.464" in never.source
    assert "value = [1, 1, 1, 1, 1]" in always.source and "grad = [3, 3, 3, 3, 3]" in always.source
    assert "dy" not in auto.source  # the output has no name: gradients are just "grad"


def test_long_values_are_abridged():
    x = mt.arange(50.0, requires_grad=True)
    drawing = viz.draw_graph((x * 1).sum(), show_values=True)
    assert "value = [0, 1, 2, …, 49] (50 values)" in drawing.source


def test_a_module_names_parameters_and_layer_calls():
    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    y = model(mt.randn(5, 3)).sum()
    drawing = viz.draw_graph(y, params=model)
    y.backward()
    nodes = by_title(drawing.source)
    expected = {"0.weight", "0.bias", "2.weight", "2.bias", "0: Linear", "1: ReLU", "2: Linear"}
    assert expected <= set(nodes)
    assert "(5, 4)" in nodes["0: Linear"] and "(5, 2)" in nodes["2: Linear"]
    g = model[2].bias.grad.numpy()
    assert f"grad = [{g[0]:.4g}, {g[1]:.4g}]" in nodes["2.bias"]
    assert "‖grad‖" in nodes["0.weight"]  # 12 elements: only its norm


def test_named_parameters_pairs_work_like_the_module():
    model = nn.Linear(2, 1)
    y = model(mt.randn(3, 2)).sum()
    source = viz.draw_graph(y, params=dict(model.named_parameters())).source
    assert {"weight", "bias"} <= set(by_title(source))
    unnamed = viz.draw_graph(y).source
    assert {"Linear.weight", "Linear.bias"} <= set(by_title(unnamed))


class Shared(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.shared = nn.Linear(3, 3)
        self.head = nn.Linear(3, 1)

    def forward(self, x):
        return self.head(self.shared(self.shared(x)).tanh())


def test_a_shared_layer_draws_one_node_per_call_and_its_parameters_once():
    model = Shared()
    y = model(mt.randn(2, 3)).sum()
    drawing = viz.draw_graph(y, params=model)
    y.backward()
    source = drawing.source
    nodes = labels(source)
    calls = [n for n, label in nodes.items() if label.startswith("shared: Linear")]
    assert len(calls) == 2
    assert {nodes[c].split("\n")[0] for c in calls} == {
        "shared: Linear (call 1 of 2)",
        "shared: Linear (call 2 of 2)",
    }
    weight = [n for n, label in nodes.items() if label.startswith("shared.weight")]
    assert len(weight) == 1
    assert sorted(dst for src, dst in edges(source) if src == weight[0]) == sorted(calls)
    assert "call 2 of 2" in nodes[calls[1]]  # forward order: the inner call comes first


def test_after_backward_without_retain_graph_the_error_says_what_to_do():
    J, _ = j_graph()
    J.backward()
    with pytest.raises(RuntimeError, match="call draw_graph before backward"):
        viz.draw_graph(J)
    K, names = j_graph()
    K.backward(retain_graph=True)
    assert "dK" not in viz.draw_graph(K, params=names).source  # the root is named J, not K
    assert "dJ/da = 3" in viz.draw_graph(K, params=names).source


def test_several_outputs_are_all_roots():
    x = mt.tensor(2.0, requires_grad=True)
    y1, y2 = x * 3, x + 1
    source = viz.draw_graph(y1, y2, params={"x": x}).source
    assert source.count('fillcolor="#d9ead3"') == 2 and len(by_title(source)) == 3
    assert viz.draw_graph((y1, y2)).source.count("fillcolor") == 3  # a tuple of outputs


def test_max_nodes_keeps_the_calls_nearest_the_outputs():
    x = mt.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(10):
        y = y * 1.5
    drawing = viz.draw_graph(y, max_nodes=4)
    nodes = labels(drawing.source)
    assert sum(label.startswith("Mul") for label in nodes.values()) == 4
    assert "6 earlier call(s) not drawn" in nodes["omitted"]
    assert len(viz.draw_graph(y).source.split("Mul")) == 11


def test_a_custom_function_apply_is_drawn_with_its_class_name():
    class Square(mt.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, dy):
            (x,) = ctx.saved_tensors
            return 2 * x * dy

    x = mt.tensor(3.0, requires_grad=True)
    y = Square.apply(x)
    drawing = viz.draw_graph(y, params={"x": x, "y": y})
    y.backward()
    nodes = by_title(drawing.source)
    assert "value = 9" in nodes["y = Square"] and "dy/dx = 6" in nodes["x"]


def test_a_leaf_output_and_a_constant():
    c = mt.tensor([1.0, 2.0])
    source = viz.draw_graph(c, params={"c": c}).source
    assert by_title(source) == {"c": "c\n(2,)\nvalue = [1, 2]"}
    assert "#eeeeee" in source  # a constant (no requires_grad) is greyed


def test_bad_arguments_are_named():
    J, _ = j_graph()
    with pytest.raises(TypeError, match="at least one"):
        viz.draw_graph()
    with pytest.raises(TypeError, match="output 1 must be a Tensor, got float"):
        viz.draw_graph(J, 3.0)
    with pytest.raises(ValueError, match="show_values must be"):
        viz.draw_graph(J, show_values="yes")
    with pytest.raises(ValueError, match="max_nodes"):
        viz.draw_graph(J, max_nodes=0)
    with pytest.raises(TypeError, match="params must be"):
        viz.draw_graph(J, params=3)
    with pytest.raises(TypeError, match=r"params\['a'\] must be a Tensor, got int"):
        viz.draw_graph(J, params={"a": 1})


def test_save_writes_the_dot_text(tmp_path):
    J, names = j_graph()
    drawing = viz.draw_graph(J, params=names)
    path = drawing.save(tmp_path / "J.dot")
    assert path.read_text() == drawing.source == str(drawing)
    assert repr(drawing) == "GraphDrawing(3 calls, 3 leaves)"


@pytest.mark.skipif(not viz.rendering_available(), reason="needs the graphviz package and dot")
def test_render_svg_and_png(tmp_path):
    J, names = j_graph()
    drawing = viz.draw_graph(J, params=names)
    J.backward()
    svg = drawing.render(tmp_path / "J")
    assert svg.suffix == ".svg" and "dJ/db = 6" in svg.read_text()
    png = drawing.render(tmp_path / "J.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in drawing._repr_svg_()
    with pytest.raises(ValueError, match="svg, png or pdf"):
        drawing.render(tmp_path / "J.gif")


def test_render_without_graphviz_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # import graphviz now fails
    drawing = viz.draw_graph(j_graph()[0])
    assert not viz.rendering_available() and drawing._repr_svg_() is None
    with pytest.raises(ImportError, match=r"pip install graphviz.*\.source"):
        drawing.render(tmp_path / "J.svg")
    assert "digraph" in drawing.source  # the DOT text needs nothing


def test_importing_viz_stays_light():
    code = "import minitorch.viz, sys; print('graphviz' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
