"""``GradientMonitor``: per-layer gradient norms, activations, the verdict, and clean removal."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.train import fit
from minitorch.utils.inspect import GradientMonitor, GradientMonitorCallback
from tests.train.problem import problem, small_model


def deep_net(activation: type, he: bool, width: int = 30, depth: int = 5, device: str = "cpu"):
    """``depth`` Linear layers 16 -> width -> ... -> 10 with ``activation`` between them."""
    mt.manual_seed(0)
    sizes = [16] + [width] * (depth - 1) + [10]
    modules = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = nn.Linear(n_in, n_out)
        if he:
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            nn.init.zeros_(linear.bias)
        modules.append(linear)
        if i < depth - 1:
            modules.append(activation())
    return nn.Sequential(*modules).to(device)


def train(model, steps: int = 8, device: str = "cpu", lr: float = 0.1):
    gen = np.random.default_rng(0)
    x = mt.tensor(gen.random((64, 16)).astype(np.float32), device=device)
    y = mt.tensor(gen.integers(0, 10, 64), device=device)
    opt = optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()


def no_hooks_left(model) -> bool:
    for module in model.modules():
        hooks = module._hooks
        if hooks is not None and any(
            getattr(hooks, kind) for kind in ("forward_pre", "forward", "backward", "backward_pre")
        ):
            return False
    return all(not p._hooks for p in model.parameters())


def test_sigmoid_net_vanishes_and_relu_he_net_does_not(device):
    sigmoid = deep_net(nn.Sigmoid, he=False, device=device)
    with GradientMonitor(sigmoid) as monitor:
        train(sigmoid, device=device)
    ratio = monitor.first_last_ratio()
    assert ratio < 0.1
    assert monitor.verdict().startswith(
        f"vanishing: layer 1 (0: Linear) receives 1/{1 / ratio:.0f} of the gradient of layer 5 "
        "(8: Linear)"
    )
    assert "consider ReLU, He init or normalisation" in monitor.report()
    relu = deep_net(nn.ReLU, he=True, device=device)
    with GradientMonitor(relu) as monitor:
        train(relu, device=device)
    assert monitor.first_last_ratio() > 0.1
    assert monitor.verdict().startswith("healthy")


def test_history_matches_the_gradients_of_one_step():
    model = deep_net(nn.Tanh, he=False, depth=3)
    monitor = GradientMonitor(model)
    x = mt.randn(8, 16)
    hidden = []
    model[1].register_forward_hook(lambda m, args, out: hidden.append(args[0]))
    out = model(x)
    hidden[0].retain_grad()  # the output of layer "0", seen by the Tanh after it
    (out * out).sum().backward()
    assert monitor.steps == [0] and list(monitor.history[0]) == ["0", "2", "4"]
    stats = monitor.history[0]["0"]
    w, b = model[0].weight.grad.numpy(), model[0].bias.grad.numpy()
    assert stats["param_grad_norms"]["weight"] == pytest.approx(np.linalg.norm(w), rel=1e-5)
    assert stats["grad_norm"] == pytest.approx(np.sqrt((w**2).sum() + (b**2).sum()), rel=1e-5)
    assert stats["output_grad_norm"] == pytest.approx(
        np.linalg.norm(hidden[0].grad.numpy()), rel=1e-5
    )
    tanh_out = np.tanh(hidden[0].detach().numpy())
    assert stats["activation"] == "tanh"
    assert stats["mean"] == pytest.approx(tanh_out.mean(), abs=1e-6)
    assert stats["std"] == pytest.approx(tanh_out.std(), abs=1e-6)
    assert monitor.history[0]["4"]["activation"] is None  # the output layer: its own output
    assert monitor.series("grad_norm")["0"] == [stats["grad_norm"]]
    monitor.remove()


class SharedActivation(nn.Module):
    """One ReLU module after two layers, then a functional tanh the monitor cannot see."""

    def __init__(self) -> None:
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(4, 8), nn.Linear(8, 8), nn.Linear(8, 2)
        self.act = nn.ReLU()

    def forward(self, x):
        return self.fc3(self.act(self.fc2(self.act(self.fc1(x)))).tanh())


def test_activations_are_credited_to_the_layer_before_them():
    model = SharedActivation()
    with GradientMonitor(model) as monitor:
        x = mt.randn(16, 4)
        model(x).sum().backward()
    record = monitor.history[0]
    assert list(record) == ["fc1", "fc2", "fc3"]
    assert record["fc1"]["activation"] == record["fc2"]["activation"] == "relu"
    assert record["fc2"]["dead"] is not None and record["fc3"]["activation"] is None
    with mt.no_grad():
        h1 = model.act(model.fc1(x)).numpy()
        z3 = model.fc3(model.act(model.fc2(mt.tensor(h1))).tanh()).numpy()
    assert record["fc1"]["mean"] == pytest.approx(h1.mean(), abs=1e-6)
    assert record["fc3"]["std"] == pytest.approx(z3.std(), abs=1e-6)  # its own output


def test_every_and_no_grad_steps():
    model = small_model()
    monitor = GradientMonitor(model, every=2)
    for _ in range(5):
        model(mt.randn(4, 4)).sum().backward()
        with mt.no_grad():
            model(mt.randn(4, 4))  # not a training step
    assert monitor.steps == [0, 2, 4]
    assert all(r["0"]["grad_norm"] is not None for r in monitor.history)
    monitor.remove()


def test_remove_leaves_no_hook_behind():
    model = deep_net(nn.ReLU, he=True, depth=3)
    monitor = GradientMonitor(model)
    assert not no_hooks_left(model)
    out = model(mt.randn(4, 16)).sum()  # this step's outputs carry the monitor's tensor hooks
    monitor.remove()
    assert no_hooks_left(model)
    node, pending = out.grad_fn, []
    while node is not None:  # walk the graph: no output hook is left on any call
        pending += [h for hooks in (node.hooks or {}).values() for h in hooks.values()]
        edge = node.inputs[0]
        node = edge[0] if type(edge) is tuple else None
    assert pending == []
    out.backward()
    assert monitor.history[0]["0"]["grad_norm"] is None  # the removed hooks did not run
    monitor.remove()  # twice is fine


def test_saturated_and_dead_units_are_reported():
    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 20), nn.Sigmoid(), nn.Linear(20, 20), nn.ReLU(),
                          nn.Linear(20, 3))  # fmt: skip
    with mt.no_grad():
        model[0].weight.mul_(40.0)  # pre-activations of +-10: sigmoid saturates
        model[2].bias.fill_(-100.0)  # every ReLU unit is off
    with GradientMonitor(model) as monitor:
        model(mt.randn(32, 16)).sum().backward()
    stats = monitor.summary()
    assert stats["0"]["saturated"] > 0.8 and stats["2"]["dead"] == 1.0
    report = monitor.report()
    assert "of its sigmoid units are saturated" in report
    assert "layer 2: 100% of its ReLU units are dead" in report
    assert "100% dead (relu)" in report
    assert (
        "layer 1 (0: Linear) receives no gradient at all" in report
    )  # nothing gets past the dead layer


def test_exploding_gradients_get_their_verdict():
    mt.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 10), nn.Linear(10, 10), nn.Linear(10, 10))
    with mt.no_grad():
        for layer in (model[1], model[2]):
            layer.weight.mul_(30.0)
    with GradientMonitor(model) as monitor:
        model(mt.randn(8, 10)).sum().backward()
    assert monitor.first_last_ratio() > 10
    assert monitor.verdict().startswith("exploding: layer 1 (0: Linear) receives")


def test_report_table_and_verdicts_without_gradients():
    model = small_model()
    monitor = GradientMonitor(model)
    assert monitor.verdict() == (
        "no gradients recorded yet: run backward() while the monitor is attached"
    )
    model(mt.randn(4, 4)).sum().backward()
    lines = monitor.report().splitlines()
    assert lines[0].split()[:3] == ["layer", "module", "grad"]
    assert lines[2].split()[:3] == ["1", "0:", "Linear"] and "saturated (tanh)" in lines[2]
    assert lines[4].startswith("first/last layer gradient-norm ratio:")
    monitor.remove()
    one = GradientMonitor(nn.Linear(2, 2))
    assert one.verdict().startswith("one layer")
    one.remove()


def test_plot(tmp_path):
    model = small_model()
    with GradientMonitor(model) as monitor:
        model(mt.randn(4, 4)).sum().backward()
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install matplotlib"):
            monitor.plot(tmp_path / "g.png")
    else:
        monitor.plot(tmp_path / "g.png")
        assert (tmp_path / "g.png").stat().st_size > 0


def test_bad_arguments():
    with pytest.raises(TypeError, match="expects an nn.Module, got Tensor"):
        GradientMonitor(mt.ones(2))
    with pytest.raises(ValueError, match="every must be a positive int, got 0"):
        GradientMonitor(small_model(), every=0)
    with pytest.raises(ValueError, match="has no parameters"):
        GradientMonitor(nn.ReLU())
    monitor = GradientMonitor(small_model())
    with pytest.raises(ValueError, match="stat must be one of"):
        monitor.series("norm")
    monitor.remove()
    with pytest.raises(ValueError, match="every must be"):
        GradientMonitorCallback(every=-1)


def test_fit_callback_monitors_and_detaches(capsys):
    model = small_model()
    callback = GradientMonitorCallback(every=2)
    fit(model, nn.MSELoss(), optim.SGD(model.parameters(), lr=0.1),
        DataLoader(problem(), batch_size=16), DataLoader(problem(32, 1), batch_size=32),
        epochs=2, callbacks=[callback], progress=False)  # fmt: skip
    assert callback.monitor.steps == [0, 2, 4, 6]  # 4 batches per epoch; validation not counted
    assert no_hooks_left(model)
    out = capsys.readouterr().out
    assert "epoch 1: healthy" in out and "first/last layer gradient-norm ratio" in out
