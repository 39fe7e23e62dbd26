"""``fit``: history and logged values, bad input, non-finite losses, clipping, schedulers."""

import math
import subprocess
import sys

import numpy as np
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
    heavy = ["tqdm", "matplotlib", "tensorboardX", "IPython", "threadpoolctl", "torch"]
    code = (
        "import sys, minitorch; minitorch.summary; import minitorch.train, "
        f"minitorch.utils.tensorboard; print([m for m in {heavy} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"  # not even with fit, summary and the writer imported
    from minitorch.utils.progress import progress_bar, progress_enabled

    assert not progress_enabled()  # pytest captures stderr: not a terminal
    assert list(progress_bar(range(3))) == [0, 1, 2]
    assert capsys.readouterr().err == ""
    bar = progress_bar(range(2), enabled=True)
    from tqdm.std import tqdm

    assert isinstance(bar, tqdm) and list(bar) == [0, 1]


def test_grad_clip_norm_clips_each_step_as_clip_grad_norm_does():
    data = DataLoader(problem(32), batch_size=8)

    def run(clip):
        mt.manual_seed(3)
        model = small_model()
        opt = optim.SGD(model.parameters(), lr=0.5)
        if clip == "by hand":
            for x, y in data:
                opt.zero_grad()
                nn.MSELoss()(model(x), y).backward()
                nn.utils.clip_grad_norm_(model.parameters(), 0.01)
                opt.step()
        else:
            fit(model, nn.MSELoss(), opt, data, epochs=1, grad_clip_norm=clip, progress=False)
        return [p.detach().numpy().copy() for p in model.parameters()]

    by_hand, clipped, free = run("by hand"), run(0.01), run(None)
    assert all(np.array_equal(a, b) for a, b in zip(by_hand, clipped))
    assert not all(np.allclose(a, b) for a, b in zip(clipped, free))
    model = small_model()
    for bad in (0, -1.0, math.inf, "1"):
        with pytest.raises(ValueError, match="grad_clip_norm must be a positive number"):
            fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), data,
                grad_clip_norm=bad, progress=False)  # fmt: skip


def _scheduled(make, **kwargs):
    model = small_model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    scheduler = make(opt)
    history = fit(model, nn.MSELoss(), opt, DataLoader(problem(), batch_size=16), epochs=3,
                  scheduler=scheduler, progress=False, **kwargs)  # fmt: skip
    return scheduler, history


def test_schedulers_step_per_epoch_or_per_batch():
    step_lr, history = _scheduled(lambda o: optim.lr_scheduler.StepLR(o, 1, gamma=0.5))
    assert step_lr.last_epoch == 3 and history["lr"] == [0.1, 0.05, 0.025]  # lr used per epoch
    one_cycle, history = _scheduled(
        lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.2, total_steps=12)
    )
    assert one_cycle.last_epoch == 12  # 4 batches x 3 epochs: per batch by default
    per_batch, _ = _scheduled(lambda o: optim.lr_scheduler.StepLR(o, 1, gamma=0.5),
                              scheduler_interval="batch")  # fmt: skip
    assert per_batch.last_epoch == 12
    per_epoch, _ = _scheduled(
        lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.2, total_steps=12),
        scheduler_interval="epoch",
    )
    assert per_epoch.last_epoch == 3
    plateau, history = _scheduled(
        lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, patience=0, factor=0.5, threshold=1)
    )
    assert history["lr"] == [0.1, 0.05, 0.025]  # never improves by 100 %: halves each epoch


def test_scheduler_interval_errors():
    with pytest.raises(ValueError, match="'epoch' or 'batch', got 'step'"):
        _scheduled(lambda o: optim.lr_scheduler.StepLR(o, 1), scheduler_interval="step")
    with pytest.raises(ValueError, match="ReduceLROnPlateau steps on an epoch's loss"):
        _scheduled(lambda o: optim.lr_scheduler.ReduceLROnPlateau(o), scheduler_interval="batch")
    model = small_model()
    with pytest.raises(ValueError, match="scheduler_interval was given but there is no scheduler"):
        fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1), [],
            scheduler_interval="epoch", progress=False)  # fmt: skip
