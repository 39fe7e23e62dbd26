"""``CSVLogger``: a header and one row per epoch, the values exactly as in the History."""

import csv

import pytest

from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import CSVLogger, fit
from tests.train.problem import problem, small_model


def _fit(callbacks, epochs=3):
    model = small_model()
    return fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
               DataLoader(problem(), batch_size=16), DataLoader(problem(16, 1), batch_size=16),
               epochs=epochs, metrics=["accuracy"], callbacks=callbacks,
               progress=False)  # fmt: skip


def test_one_row_per_epoch_matching_the_history(tmp_path):
    path = tmp_path / "log.csv"
    history = _fit([CSVLogger(path)])
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,accuracy,loss,lr,val_accuracy,val_loss"  # Keras: sorted names
    rows = list(csv.DictReader(lines))
    assert [int(r["epoch"]) for r in rows] == history.epochs == [1, 2, 3]
    for name, values in history.history.items():
        assert [float(r[name]) for r in rows] == values  # full precision: exactly equal


def test_append_goes_on_without_a_second_header_and_separator(tmp_path):
    path = tmp_path / "log.tsv"
    _fit([CSVLogger(path, separator="\t")], epochs=2)
    _fit([CSVLogger(path, separator="\t", append=True)], epochs=1)
    lines = path.read_text().splitlines()
    assert len(lines) == 4 and lines[0].split("\t")[:2] == ["epoch", "accuracy"]
    assert [line.split("\t")[0] for line in lines[1:]] == ["1", "2", "1"]
    _fit([CSVLogger(path, separator="\t")], epochs=1)  # append=False starts the file again
    assert len(path.read_text().splitlines()) == 2


def test_missing_values_are_na_and_bad_separator(tmp_path):
    path = tmp_path / "log.csv"
    logger = CSVLogger(path)
    logger.on_train_begin(None)
    logger.on_epoch_end(1, {"loss": 1.0, "val_loss": 2.0}, None)
    logger.on_epoch_end(2, {"loss": 0.5}, None)
    logger.on_train_end(None)
    assert path.read_text().splitlines() == ["epoch,loss,val_loss", "1,1.0,2.0", "2,0.5,NA"]
    with pytest.raises(ValueError, match="separator must be one character"):
        CSVLogger(path, separator=", ")
