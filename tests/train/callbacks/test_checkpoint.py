"""``ModelCheckpoint``: keeps the best epoch, saves the whole run (scheduler too), names files."""

import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import Callback, ModelCheckpoint, fit
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


def test_model_checkpoint_saves_everything_a_resume_needs(tmp_path):
    model = small_model()
    opt = optim.Adam(model.parameters(), lr=0.01)
    scheduler = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    path = tmp_path / "last.ckpt"
    history = fit(model, nn.MSELoss(), opt, DataLoader(problem(), batch_size=16, shuffle=True),
                  epochs=3, scheduler=scheduler,
                  callbacks=[ModelCheckpoint(path, monitor="loss", save_best_only=False)],
                  progress=False)  # fmt: skip
    saved = mt.load(path)
    assert {"model", "optimizer", "scheduler", "epoch", "history", "rng", "callbacks"} <= set(
        saved
    )
    assert saved["epoch"] == 3 and saved["scheduler"]["last_epoch"] == 3
    assert saved["scheduler"]["_last_lr"] == scheduler.get_last_lr() == [0.01 * 0.5**3]
    assert saved["history"]["history"]["loss"] == history["loss"]
    best = min(history["loss"])
    assert saved["callbacks"] == {
        "ModelCheckpoint:0": {"best": best, "best_epoch": 1 + history["loss"].index(best)}
    }
    assert saved["loss"] == history["loss"][-1]


def test_model_checkpoint_every_epoch_without_the_monitored_value(tmp_path):
    model = small_model()
    fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
        DataLoader(problem(), batch_size=32), epochs=2,
        callbacks=[ModelCheckpoint(tmp_path / "e{epoch:02d}.ckpt", save_best_only=False)],
        progress=False)  # fmt: skip
    assert sorted(f.name for f in tmp_path.iterdir()) == ["e01.ckpt", "e02.ckpt"]
    assert mt.load(tmp_path / "e02.ckpt")["epoch"] == 2


def test_model_checkpoint_path_template_with_logged_values(tmp_path):
    model = small_model()
    history = fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
                  DataLoader(problem(), batch_size=32), epochs=1,
                  callbacks=[ModelCheckpoint(tmp_path / "m-{epoch}-{loss:.3f}.ckpt", "loss")],
                  progress=False)  # fmt: skip
    assert [f.name for f in tmp_path.iterdir()] == [f"m-1-{history['loss'][0]:.3f}.ckpt"]
    with pytest.raises(ValueError, match=r"names 'val_acc'.*'epoch'"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
            DataLoader(problem(), batch_size=32), epochs=1,
            callbacks=[ModelCheckpoint(tmp_path / "{val_acc}.ckpt", "loss")],
            progress=False)  # fmt: skip


def test_model_checkpoint_mode_auto_and_bad_modes():
    assert ModelCheckpoint("x", monitor="val_loss").mode == "min"
    assert ModelCheckpoint("x", monitor="val_accuracy").mode == "max"
    assert ModelCheckpoint("x", monitor="val_f1", mode="max").mode == "max"
    with pytest.raises(ValueError, match="cannot tell whether 'val_f2'"):
        ModelCheckpoint("x", monitor="val_f2")
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        ModelCheckpoint("x", mode="lowest")
