"""``fit(resume_from=...)``: an interrupted run, resumed, ends where an uninterrupted one does.

Shuffling, dropout, Adam's moments, a per-batch OneCycleLR, gradient clipping and an
EarlyStopping counter all carry state across epochs; on the CPU the resumed run must match the
uninterrupted one bit for bit.
"""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import EarlyStopping, ModelCheckpoint, fit
from tests.train.problem import problem

EPOCHS, BATCH = 4, 16


def make_run():
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Dropout(0.3), nn.Linear(16, 2))
    opt = optim.Adam(model.parameters(), lr=0.01)
    steps = EPOCHS * (64 // BATCH)
    scheduler = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, total_steps=steps)
    return model, opt, scheduler


def train(model, opt, scheduler, epochs, callbacks=(), resume_from=None):
    return fit(model, nn.MSELoss(), opt, DataLoader(problem(), batch_size=BATCH, shuffle=True),
               DataLoader(problem(32, 1), batch_size=32), epochs=epochs, metrics=["accuracy"],
               scheduler=scheduler, grad_clip_norm=0.5, callbacks=callbacks,
               resume_from=resume_from, progress=False)  # fmt: skip


def test_resumed_run_equals_the_uninterrupted_one_bit_for_bit(tmp_path):
    mt.manual_seed(0)
    model, opt, scheduler = make_run()
    full = train(model, opt, scheduler, EPOCHS, [EarlyStopping(patience=10)])
    expected = {k: v.numpy().copy() for k, v in model.state_dict().items()}

    path = tmp_path / "run.ckpt"
    mt.manual_seed(0)
    first = make_run()
    stop = EarlyStopping(patience=10)
    train(*first, 2, [stop, ModelCheckpoint(path, save_best_only=False)])
    assert mt.load(path)["callbacks"]["EarlyStopping:0"]["wait"] == stop.wait

    mt.manual_seed(12345)  # a fresh process: other weights, another random stream
    model, opt, scheduler = make_run()
    stop = EarlyStopping(patience=10)
    resumed = train(model, opt, scheduler, EPOCHS, [stop], resume_from=path)

    for key, value in model.state_dict().items():
        assert np.array_equal(value.numpy(), expected[key]), key
    assert resumed == full and resumed.epochs == [1, 2, 3, 4]
    assert scheduler.last_epoch == EPOCHS * (64 // BATCH)
    assert stop.best == min(full["val_loss"])


def test_resume_from_the_last_epoch_trains_no_more(tmp_path):
    path = tmp_path / "run.ckpt"
    model, opt, scheduler = make_run()
    train(model, opt, scheduler, 2, [ModelCheckpoint(path, save_best_only=False)])
    weights = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    history = train(model, opt, scheduler, 2, resume_from=path)
    assert len(history) == 2
    assert all(np.array_equal(v.numpy(), weights[k]) for k, v in model.state_dict().items())


def test_resume_needs_a_training_checkpoint(tmp_path):
    model, opt, scheduler = make_run()
    mt.save({"model": model.state_dict()}, tmp_path / "weights.ckpt")
    with pytest.raises(ValueError, match=r"has no \['optimizer', 'epoch'\].*ModelCheckpoint"):
        train(model, opt, scheduler, 2, resume_from=tmp_path / "weights.ckpt")
    mt.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 1},
            tmp_path / "bare.ckpt")  # fmt: skip
    with pytest.raises(ValueError, match="fit has a scheduler but the checkpoint has none"):
        train(model, opt, scheduler, 2, resume_from=tmp_path / "bare.ckpt")
    with pytest.warns(UserWarning, match=r"no \['history', 'rng'\].*not exactly"):
        history = fit(model, nn.MSELoss(), opt, DataLoader(problem(), batch_size=BATCH),
                      epochs=2, resume_from=tmp_path / "bare.ckpt", progress=False)  # fmt: skip
    assert history.epochs == [2]


def test_resume_restores_the_loaders_own_generator(tmp_path):
    def loader(seed):
        return DataLoader(problem(), batch_size=BATCH, shuffle=True,
                          generator=mt.Generator().manual_seed(seed))  # fmt: skip

    def run(epochs, data, **kwargs):
        model, opt, _ = make_run()
        fit(model, nn.MSELoss(), opt, data, epochs=epochs, progress=False, **kwargs)
        return model

    mt.manual_seed(0)
    expected = run(3, loader(7)).state_dict()
    mt.manual_seed(0)
    run(1, loader(7), callbacks=[ModelCheckpoint(tmp_path / "g.ckpt", save_best_only=False)])
    resumed = run(3, loader(99), resume_from=tmp_path / "g.ckpt").state_dict()
    for key in expected:
        assert np.array_equal(resumed[key].numpy(), expected[key].numpy()), key
