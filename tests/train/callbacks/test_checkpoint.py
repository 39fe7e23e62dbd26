"""Callbacks: ``ModelCheckpoint`` keeps the best epoch, ``EarlyStopping`` stops and restores."""

import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import Callback, EarlyStopping, ModelCheckpoint, fit
from tests.train.problem import problem, small_model


def test_model_checkpoint_keeps_the_best(tmp_path):
    model = small_model()
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
        DataLoader(problem(), batch_size=16),
        DataLoader(problem(32, 1), batch_size=32),
        epochs=5,
        callbacks=[checkpoint, Spy()],
        progress=False,
    )
    saved = mt.load(path)
    assert checkpoint.best == min(seen) and saved["val_loss"] == min(seen)
    assert saved["epoch"] == checkpoint.best_epoch == 1 + seen.index(min(seen))
    fresh = small_model()
    fresh.load_state_dict(saved["model"])
    assert set(saved["optimizer"]) == {"state", "param_groups"}


def test_model_checkpoint_unknown_monitor_says_what_is_logged(tmp_path):
    model = small_model()
    with pytest.raises(KeyError, match=r"monitors 'val_loss'.*\['loss', 'lr'\]"):
        fit(
            model,
            nn.MSELoss(),
            optim.SGD(model.parameters(), lr=0.1),
            DataLoader(problem(), batch_size=32),
            epochs=1,
            callbacks=[ModelCheckpoint(tmp_path / "c.ckpt")],
            progress=False,
        )


def test_early_stopping_stops_and_restores():
    model = small_model()
    opt = optim.SGD(model.parameters(), lr=0.0)  # nothing improves after epoch 1
    stop = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    history = fit(
        model,
        nn.MSELoss(),
        opt,
        DataLoader(problem(), batch_size=16),
        epochs=20,
        callbacks=[stop],
        progress=False,
    )
    assert len(history) == 4 and stop.stopped_epoch == 4 and stop.best_epoch == 1
    with pytest.raises(ValueError, match="mode must be 'min' or 'max'"):
        EarlyStopping(mode="lowest")
