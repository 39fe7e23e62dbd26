"""End-to-end checks of the foundation: free-form modules, explicit vs automatic, PyTorch."""

import numpy as np

import minitorch as mt
from minitorch import nn, optim
from tests.helpers import copy_weights_to_torch


class ResidualTwoInputs(nn.Module):
    """A residual connection, one layer used twice, and two inputs."""

    def __init__(self):
        super().__init__()
        self.shared = nn.Linear(4, 4)
        self.side = nn.Linear(3, 4)
        self.out = nn.Linear(4, 1)

    def forward(self, x, z):
        h = self.shared(x).tanh() + x  # residual
        h = self.shared(h).sigmoid() * self.side(z)  # the same layer again
        return self.out(h)


def test_free_form_module_passes_gradcheck(rng):
    model = ResidualTwoInputs()
    assert mt.gradcheck(model, rng.standard_normal((5, 4)), rng.standard_normal((5, 3)))


def test_free_form_module_trains(rng):
    mt.manual_seed(0)
    model = ResidualTwoInputs()
    x = mt.tensor(rng.standard_normal((64, 4)), dtype=mt.float32)
    z = mt.tensor(rng.standard_normal((64, 3)), dtype=mt.float32)
    y = (x[:, :1].tanh() * z[:, 1:2]).detach()  # learnable from the inputs
    opt = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    losses = []
    for _ in range(100):
        opt.zero_grad()
        loss = nn.MSELoss()(model(x, z), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def _mlp():
    return nn.Sequential(
        nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 8), nn.Sigmoid(), nn.Linear(8, 3)
    )


def test_explicit_backprop_equals_loss_backward_after_ten_steps(rng):
    mt.manual_seed(1)
    by_hand = _mlp().double()
    automatic = _mlp().double()
    automatic.load_state_dict(by_hand.state_dict())
    x, y = rng.standard_normal((16, 6)), rng.standard_normal((16, 3))
    loss_hand, loss_auto = nn.MSELoss(), nn.MSELoss()
    opt_hand = optim.SGD(by_hand.parameters(), lr=0.1)
    opt_auto = optim.SGD(automatic.parameters(), lr=0.1)
    for _ in range(10):
        # the textbook way: forward layer by layer, then backward layer by layer
        opt_hand.zero_grad()
        out = by_hand.forward(x)
        loss_hand.forward(out, y)
        dout, _ = loss_hand.backward(np.float64(1.0))
        by_hand.backward(dout)
        opt_hand.step()
        # the automatic way
        opt_auto.zero_grad()
        loss_auto(automatic(mt.tensor(x)), mt.tensor(y)).backward()
        opt_auto.step()
    for (name, a), b in zip(by_hand.named_parameters(), automatic.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy(), err_msg=name)


def test_mlp_mse_sgd_training_matches_pytorch(torch, rng):
    mt.manual_seed(2)
    model = _mlp().double()
    reference = torch.nn.Sequential(
        torch.nn.Linear(6, 8), torch.nn.ReLU(), torch.nn.Linear(8, 8), torch.nn.Sigmoid(),
        torch.nn.Linear(8, 3),
    ).double()  # fmt: skip
    copy_weights_to_torch(model, reference)
    opt = optim.SGD(model.parameters(), lr=0.1)
    ref_opt = torch.optim.SGD(reference.parameters(), lr=0.1)
    for _ in range(10):
        x, y = rng.standard_normal((16, 6)), rng.standard_normal((16, 3))
        opt.zero_grad()
        loss = nn.MSELoss()(model(mt.tensor(x)), mt.tensor(y))
        loss.backward()
        opt.step()
        ref_opt.zero_grad()
        ref_loss = torch.nn.MSELoss()(reference(torch.tensor(x)), torch.tensor(y))
        ref_loss.backward()
        ref_opt.step()
        assert abs(loss.item() - ref_loss.item()) < 1e-10
    for (name, p), q in zip(model.named_parameters(), reference.parameters()):
        np.testing.assert_allclose(
            p.detach().numpy(), q.detach().numpy(), atol=1e-10, err_msg=name
        )
