"""``TensorBoard`` callback: each epoch's logs as scalars, and parameter histograms."""

import pytest

from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import TensorBoard, fit
from tests.train.problem import problem, small_model
from tests.utils.test_tensorboard import read_events, scalars


def test_fit_writes_every_logged_value_per_epoch(tmp_path):
    pytest.importorskip("tensorboardX")
    model = small_model()
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
                  DataLoader(problem(), batch_size=16), DataLoader(problem(16, 1), batch_size=16),
                  epochs=3, callbacks=[TensorBoard(tmp_path, histogram_freq=2)],
                  progress=False)  # fmt: skip
    events = read_events(tmp_path)
    written = scalars(events)
    for name, values in history.history.items():
        got = [(step, value) for tag, step, value in written if tag == f"epoch/{name}"]
        assert [s for s, _ in got] == [1, 2, 3]
        assert [v for _, v in got] == pytest.approx(values, rel=1e-6)  # stored as float32
    histograms = {(v.tag, e.step) for e in events for v in e.summary.value if v.HasField("histo")}
    assert histograms == {(name, 2) for name, _ in model.named_parameters()}


def test_bad_arguments():
    with pytest.raises(ValueError, match="histogram_freq must be an integer >= 0"):
        TensorBoard(histogram_freq=-1)
