"""Metrics: ``accuracy`` on class indices and one-hot targets; the names ``fit`` accepts."""

import pytest

import minitorch as mt
from minitorch.train import accuracy
from minitorch.train.metrics import METRICS, metric_functions


def test_accuracy_on_indices_and_one_hot():
    output = mt.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    assert accuracy(output, mt.tensor([1, 0, 0, 0])) == 0.75
    assert accuracy(output, mt.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])) == 0.5


def test_metric_functions_accepts_names_functions_and_dicts():
    def f1(output, target):
        return 0.0

    assert metric_functions(None) == {}
    assert metric_functions("acc") == {"accuracy": accuracy}
    assert metric_functions(["accuracy", f1]) == {"accuracy": accuracy, "f1": f1}
    assert metric_functions({"mine": f1}) == {"mine": f1}
    assert set(METRICS) == {"accuracy", "acc"}
    with pytest.raises(ValueError, match="unknown metric 'f1'.*or a function"):
        metric_functions(["f1"])
