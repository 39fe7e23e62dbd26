"""The NumPy floor computes what PyTorch computes: loss, every gradient, optimizer steps."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root holds benchmarks/

from benchmarks.floor import MLP, SGD, Adam, LeNet  # noqa: E402

torch = pytest.importorskip("torch")

TOL = dict(rtol=1e-8, atol=1e-8)


def torch_mlp(sizes):
    layers = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [torch.nn.Linear(fan_in, fan_out), torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1]).double()


def torch_lenet(image, channels, hidden, classes, k=5):
    c0, c1, c2 = channels
    nn = torch.nn
    return nn.Sequential(
        nn.Conv2d(c0, c1, k, padding=k // 2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(c1, c2, k, padding=k // 2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(c2 * (image // 4) ** 2, hidden),
        nn.ReLU(),
        nn.Linear(hidden, classes),
    ).double()


def same_weights(floor_model, torch_model):
    state = {k: v.detach().numpy() for k, v in torch_model.state_dict().items()}
    assert state.keys() == floor_model.params.params.keys()
    floor_model.params.load(state)


def check_step(floor_model, torch_model, x, target):
    """One forward/backward on both; compare loss, logits and every parameter gradient."""
    loss = floor_model.forward(x, target)
    floor_model.backward()
    torch_model.zero_grad()
    logits = torch_model(torch.from_numpy(x))
    ref = torch.nn.functional.cross_entropy(logits, torch.from_numpy(target))
    ref.backward()
    np.testing.assert_allclose(floor_model.logits, logits.detach().numpy(), **TOL)
    np.testing.assert_allclose(loss, ref.item(), **TOL)
    for name, p in torch_model.named_parameters():
        np.testing.assert_allclose(
            floor_model.params.grads[name], p.grad.numpy(), **TOL, err_msg=f"gradient of {name}"
        )


def check_params(floor_model, torch_model):
    for name, p in torch_model.named_parameters():
        np.testing.assert_allclose(
            floor_model.params.params[name], p.detach().numpy(), **TOL, err_msg=f"parameter {name}"
        )


@pytest.mark.parametrize("make_opt", ["sgd", "adam"])
def test_mlp_matches_torch(make_opt):
    sizes, batch = (20, 16, 12, 5), 8
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0]))
    target = rng.integers(0, sizes[-1], batch)
    floor_model = MLP(batch, sizes, dtype=np.float64, seed=1)
    torch_model = torch_mlp(sizes)
    same_weights(floor_model, torch_model)
    if make_opt == "sgd":
        opt = SGD(floor_model.params, lr=0.1, momentum=0.9)
        ref_opt = torch.optim.SGD(torch_model.parameters(), lr=0.1, momentum=0.9)
    else:
        opt = Adam(floor_model.params, lr=0.01)
        ref_opt = torch.optim.Adam(torch_model.parameters(), lr=0.01)
    for _ in range(3):
        check_step(floor_model, torch_model, x, target)
        opt.step()
        ref_opt.step()
        check_params(floor_model, torch_model)


def test_lenet_matches_torch():
    batch, image, channels, hidden, classes = 4, 12, (2, 4, 6), 10, 5
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, channels[0], image, image))
    target = rng.integers(0, classes, batch)
    floor_model = LeNet(batch, image, channels, hidden, classes, dtype=np.float64, seed=1)
    torch_model = torch_lenet(image, channels, hidden, classes)
    same_weights(floor_model, torch_model)
    opt = SGD(floor_model.params, lr=0.05, momentum=0.9)
    ref_opt = torch.optim.SGD(torch_model.parameters(), lr=0.05, momentum=0.9)
    for _ in range(3):
        check_step(floor_model, torch_model, x, target)
        opt.step()
        ref_opt.step()
        check_params(floor_model, torch_model)


def test_lenet_benchmark_size_matches_torch():
    """The real benchmark shape (1x28x28, 16 and 32 channels), one step, float64."""
    batch = 3
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch, 1, 28, 28))
    target = rng.integers(0, 10, batch)
    floor_model = LeNet(batch, dtype=np.float64)
    torch_model = torch_lenet(28, (1, 16, 32), 128, 10)
    same_weights(floor_model, torch_model)
    check_step(floor_model, torch_model, x, target)
