import sys

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader, TensorDataset
from minitorch.train import Callback, EarlyStopping, History, ModelCheckpoint, accuracy, fit


def _problem(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 4)).astype(np.float32)
    labels = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    onehot = np.eye(2, dtype=np.float32)[labels]
    return TensorDataset(x, onehot)


def _model():
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 2))


def test_fit_returns_a_history_of_loss_and_metrics():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.2, momentum=0.5)
    train = DataLoader(_problem(), batch_size=16, shuffle=True)
    val = DataLoader(_problem(32, seed=1), batch_size=16)
    history = fit(
        model, nn.MSELoss(), opt, train, val, epochs=8, metrics=["accuracy"], progress=False
    )
    assert isinstance(history, History) and len(history) == 8 and history.epochs[-1] == 8
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] >= 0.8
    assert "History(epochs=8" in repr(history)


def test_fit_loss_is_the_sample_weighted_mean():
    model = _model()
    data = _problem(10)
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


def test_model_checkpoint_keeps_the_best(tmp_path):
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.2)
    path = tmp_path / "best.ckpt"
    seen = []

    class Spy(Callback):
        def on_epoch_end(self, epoch, logs, state):
            seen.append(logs["val_loss"])

    checkpoint = ModelCheckpoint(path, monitor="val_loss", mode="min")
    fit(
        model,
        nn.MSELoss(),
        opt,
        DataLoader(_problem(), batch_size=16),
        DataLoader(_problem(32, 1), batch_size=32),
        epochs=5,
        callbacks=[checkpoint, Spy()],
        progress=False,
    )
    saved = mt.load(path)
    assert checkpoint.best == min(seen) and saved["val_loss"] == min(seen)
    assert saved["epoch"] == checkpoint.best_epoch == 1 + seen.index(min(seen))
    fresh = _model()
    fresh.load_state_dict(saved["model"])
    assert set(saved["optimizer"]) == {"state", "param_groups"}


def test_model_checkpoint_unknown_monitor_says_what_is_logged(tmp_path):
    model = _model()
    with pytest.raises(KeyError, match=r"monitors 'val_loss'.*\['loss', 'lr'\]"):
        fit(
            model,
            nn.MSELoss(),
            optim.SGD(model.parameters(), lr=0.1),
            DataLoader(_problem(), batch_size=32),
            epochs=1,
            callbacks=[ModelCheckpoint(tmp_path / "c.ckpt")],
            progress=False,
        )


def test_early_stopping_stops_and_restores():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.0)  # nothing improves after epoch 1
    stop = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    history = fit(
        model,
        nn.MSELoss(),
        opt,
        DataLoader(_problem(), batch_size=16),
        epochs=20,
        callbacks=[stop],
        progress=False,
    )
    assert len(history) == 4 and stop.stopped_epoch == 4 and stop.best_epoch == 1
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        EarlyStopping(mode="lowest")


def test_fit_bad_input():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="pair \\(input, target\\)"):
        fit(model, nn.MSELoss(), opt, [(mt.ones(2, 4),)], progress=False)
    with pytest.raises(ValueError, match="unknown metric 'f1'"):
        fit(model, nn.MSELoss(), opt, [], metrics=["f1"], progress=False)


def test_plot_without_matplotlib_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    monkeypatch.setitem(sys.modules, "matplotlib.backends.backend_agg", None)
    history = History()
    history.append(1, {"loss": 1.0})
    with pytest.raises(ImportError, match=r'pip install "minitorch\[plot\]"'):
        history.plot(tmp_path / "curves.png")


def test_plot_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    history = History()
    for epoch, loss in enumerate([1.0, 0.5, 0.3], 1):
        history.append(epoch, {"loss": loss, "accuracy": 1 - loss, "val_loss": loss + 0.1})
    history.plot(tmp_path / "curves.png")
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_progress_is_silent_off_a_tty_and_tqdm_is_not_imported_eagerly(capsys):
    import subprocess

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


def test_fit_stops_on_a_non_finite_loss_before_updating():
    import math

    import pytest

    import minitorch as mt
    from minitorch import nn, optim
    from minitorch.data import DataLoader, TensorDataset
    from minitorch.train import fit

    model = nn.Linear(2, 1)
    before = model.weight.detach().numpy().copy()
    x = mt.tensor([[1.0, math.nan], [0.0, 1.0]])
    loader = DataLoader(TensorDataset(x, mt.zeros(2, 1)), batch_size=2)
    with pytest.raises(FloatingPointError, match="training loss became nan at batch 0"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), loader, epochs=1,
            progress=False)  # fmt: skip
    assert (model.weight.detach().numpy() == before).all()
