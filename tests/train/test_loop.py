"""``fit``: history and logged values, bad input, non-finite losses, quiet progress."""

import math
import subprocess
import sys

import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader, TensorDataset
from minitorch.train import History, accuracy, fit
from tests.train.problem import problem, small_model


def test_fit_returns_a_history_of_loss_and_metrics():
    model = small_model()
    opt = optim.SGD(model.parameters(), lr=0.2, momentum=0.5)
    train = DataLoader(problem(), batch_size=16, shuffle=True)
    val = DataLoader(problem(32, seed=1), batch_size=16)
    history = fit(
        model, nn.MSELoss(), opt, train, val, epochs=8, metrics=["accuracy"], progress=False
    )
    assert isinstance(history, History) and len(history) == 8 and history.epochs[-1] == 8
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] >= 0.8
    assert "History(epochs=8" in repr(history)


def test_fit_loss_is_the_sample_weighted_mean():
    model = small_model()
    data = problem(10)
    opt = optim.SGD(model.parameters(), lr=0.0)
    history = fit(
        model,
        nn.MSELoss(),
        opt,
        DataLoader(data, batch_size=4),
        epochs=1,
        metrics={"acc": accuracy},
        progress=False,
    )
    x, y = data.tensors
    with mt.no_grad():
        out = model(x)
    assert history["loss"][0] == pytest.approx(nn.MSELoss()(out, y).item(), rel=1e-5)
    assert history["acc"][0] == pytest.approx(accuracy(out, y))


def test_fit_bad_input():
    model = small_model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="pair \\(input, target\\)"):
        fit(model, nn.MSELoss(), opt, [(mt.ones(2, 4),)], progress=False)
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        fit(model, nn.MSELoss(), opt, [], metrics=["f1"], progress=False)


def test_fit_stops_on_a_non_finite_loss_before_updating():
    model = nn.Linear(2, 1)
    before = model.weight.detach().numpy().copy()
    x = mt.tensor([[1.0, math.nan], [0.0, 1.0]])
    loader = DataLoader(TensorDataset(x, mt.zeros(2, 1)), batch_size=2)
    with pytest.raises(FloatingPointError, match="training loss became nan at batch 0"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=1,
            progress=False)  # fmt: skip
    assert (model.weight.detach().numpy() == before).all()


def test_progress_is_silent_off_a_tty_and_tqdm_is_not_imported_eagerly(capsys):
    code = "import sys, minitorch; print('tqdm' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    from minitorch.utils.progress import progress_bar, progress_enabled

    assert not progress_enabled()  # pytest captures stderr: not a terminal
    assert list(progress_bar(range(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""
    bar = progress_bar(range(2), enabled=True)
    from tqdm.std import tqdm

    assert isinstance(bar, tqdm) and list(bar) == [0, 1]
