"""Host draws: float64 numbers from the generator ``mt.manual_seed`` seeds, the same whatever
device they are copied to (``nn.init`` draws through them)."""

import numpy as np

import minitorch as mt
from minitorch.backend import host_normal, host_uniform
from minitorch.nn import init


def test_draws_come_from_the_seeded_host_generator():
    mt.manual_seed(5)
    u, n = host_uniform((3, 4), -2.0, 3.0), host_normal(7, 1.0, 0.5)
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(u, rng.uniform(-2.0, 3.0, size=(3, 4)))
    np.testing.assert_array_equal(n, rng.normal(1.0, 0.5, size=7))
    assert u.dtype == n.dtype == np.float64
    assert u.min() >= -2.0 and u.max() < 3.0


def test_reseeding_repeats_the_draws():
    mt.manual_seed(1)
    first = host_normal((2, 2))
    mt.manual_seed(1)
    np.testing.assert_array_equal(first, host_normal((2, 2)))


def test_init_gives_the_same_weights_on_every_device(device):
    for fill in (init.kaiming_uniform_, init.xavier_normal_, init.orthogonal_):
        weights = []
        for dev in ("cpu", device):
            mt.manual_seed(3)
            w = mt.empty(6, 5, device=dev)
            fill(w)
            assert w.device == dev
            weights.append(w.detach().numpy() if dev == "cpu" else w.cpu().detach().numpy())
        np.testing.assert_array_equal(*weights, err_msg=fill.__name__)
