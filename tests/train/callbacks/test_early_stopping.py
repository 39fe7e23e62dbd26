"""``EarlyStopping`` stops at the epoch Keras stops at, says why, and restores the best weights.

Keras's rule (keras/src/callbacks/early_stopping.py, ``on_epoch_end``), written down here for
0-based epochs and no baseline:

    wait += 1
    if best is None or monitor_op(current - min_delta, best):   # min_delta < 0 for "min"
        best, best_epoch, wait = current, epoch, 0
        return
    if wait >= patience and epoch > 0:
        stop at this epoch

``keras_stopping_epoch`` below is that rule; minitorch's epochs count from 1.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import Callback, EarlyStopping, FitState, History, fit
from tests.train.problem import problem, small_model


def keras_stopping_epoch(values, patience, min_delta=0.0, mode="min"):
    """The 1-based epoch where Keras's EarlyStopping stops, or None."""
    delta = -abs(min_delta) if mode == "min" else abs(min_delta)
    better = (lambda a, b: a < b) if mode == "min" else (lambda a, b: a > b)
    wait, best = 0, None
    for epoch, current in enumerate(values):
        wait += 1
        if best is None or better(current - delta, best):
            best, wait = current, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch + 1
    return None


def run(values, monitor="val_loss", **kwargs):
    """Feed a hand-made history to the callback; the epoch it stopped at (or None)."""
    stop = EarlyStopping(monitor=monitor, **kwargs)
    state = FitState(small_model(), None, History())
    messages = []
    state.log_fn = messages.append
    stop.on_train_begin(state)
    for epoch, value in enumerate(values, 1):
        stop.on_epoch_end(epoch, {monitor: value}, state)
        if state.stop_training:
            return epoch, stop, messages
    return None, stop, messages


HAND_MADE = [
    # values, patience, min_delta, mode, epoch Keras stops at
    ([1.0, 0.9, 0.95, 0.92, 0.89, 0.91], 2, 0.0, "min", 4),
    ([1.0, 0.9, 0.95, 0.92, 0.89, 0.91], 3, 0.0, "min", None),
    ([1.0, 0.9, 0.95, 0.92, 0.89, 0.91, 0.93, 0.94], 3, 0.0, "min", 8),
    ([1.0, 0.97, 0.94, 0.91], 1, 0.0, "min", None),  # improves every epoch
    ([1.0, 0.97, 0.94, 0.91], 1, 0.05, "min", 2),  # but never by more than 0.05
    ([1.0, 1.0, 1.0], 0, 0.0, "min", 2),  # patience 0: the first epoch without improvement
    ([0.5, 0.6, 0.6, 0.6], 2, 0.0, "max", 4),
    ([0.5, 0.65, 0.7, 0.9], 1, 0.1, "max", 3),
]


@pytest.mark.parametrize("values, patience, min_delta, mode, expected", HAND_MADE)
def test_stops_at_the_epoch_keras_stops_at(values, patience, min_delta, mode, expected):
    assert keras_stopping_epoch(values, patience, min_delta, mode) == expected
    epoch, stop, _ = run(values, patience=patience, min_delta=min_delta, mode=mode)
    assert epoch == expected and stop.stopped_epoch == expected


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 2, allow_nan=False).map(lambda v: round(v, 2)), min_size=1, max_size=12),
    st.integers(0, 4),
    st.sampled_from([0.0, 0.01, 0.1]),
    st.sampled_from(["min", "max"]),
)
def test_matches_keras_on_any_history(values, patience, min_delta, mode):
    epoch, _, _ = run(values, patience=patience, min_delta=min_delta, mode=mode)
    assert epoch == keras_stopping_epoch(values, patience, min_delta, mode)


def test_says_why_it_stopped():
    epoch, stop, messages = run([1.0, 0.8, 0.9, 0.85], patience=2)
    assert epoch == 4 and stop.best == 0.8 and stop.best_epoch == 2
    assert messages == [
        "EarlyStopping: stopped after epoch 4: val_loss did not improve for 2 epochs "
        "(best 0.8 at epoch 2, patience 2)"
    ]
    _, _, messages = run([1.0, 1.0], patience=1, min_delta=0.01)
    assert "did not improve by more than 0.01 for 1 epoch (" in messages[0]


def test_mode_auto_minimises_losses_and_maximises_accuracy():
    assert EarlyStopping("val_loss").mode == "min" and EarlyStopping("loss").mode == "min"
    assert EarlyStopping("val_accuracy").mode == "max" and EarlyStopping("acc").mode == "max"
    assert run([0.5, 0.4, 0.4], monitor="val_accuracy", patience=1)[0] == 2
    with pytest.raises(ValueError, match="cannot tell whether 'val_score'.*mode='min'"):
        EarlyStopping("val_score")


def test_bad_arguments():
    with pytest.raises(ValueError, match="patience must be an integer >= 0, got -1"):
        EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="mode must be 'auto', 'min' or 'max'"):
        EarlyStopping(mode="lowest")
    with pytest.raises(ValueError, match="min_delta must be a finite number"):
        EarlyStopping(min_delta=math.nan)


def test_in_fit_stops_and_restores_the_best_weights(capsys):
    model = small_model()
    opt = optim.SGD(model.parameters(), lr=0.0)  # nothing improves after epoch 1
    stop = EarlyStopping(monitor="loss", patience=2, restore_best_weights=True)
    history = fit(model, nn.MSELoss(), opt, DataLoader(problem(), batch_size=16), epochs=20,
                  callbacks=[stop], progress="log")  # fmt: skip
    assert len(history) == 3 and stop.stopped_epoch == 3 and stop.best_epoch == 1
    err = capsys.readouterr().err
    assert "EarlyStopping: stopped after epoch 3: loss did not improve for 2 epochs" in err
    assert "EarlyStopping: restored the weights of epoch 1" in err


def test_restore_best_weights_puts_back_the_best_epoch():
    model = small_model()
    opt = optim.SGD(model.parameters(), lr=0.5)
    seen = {}

    class Spy(EarlyStopping):
        def on_epoch_end(self, epoch, logs, state):
            seen[epoch] = {k: v.numpy().copy() for k, v in state.model.state_dict().items()}
            super().on_epoch_end(epoch, logs, state)

    class Inject(Callback):  # a monitored value that is best at epoch 2 whatever happens
        def on_epoch_end(self, epoch, logs, state):
            logs["val_fake"] = [0.5, 0.3, 0.4, 0.45, 0.6, 0.7][epoch - 1]

    stop = Spy(monitor="val_fake", mode="min", patience=2, restore_best_weights=True)
    fit(model, nn.MSELoss(), opt, DataLoader(problem(), batch_size=16), epochs=6,
        callbacks=[Inject(), stop], progress=False)  # fmt: skip
    assert stop.stopped_epoch == 4 and stop.best_epoch == 2
    assert any(not np.array_equal(seen[4][k], seen[2][k]) for k in seen[2])  # it did train on
    for key, value in model.state_dict().items():
        assert np.array_equal(value.numpy(), seen[2][key]), key
