"""``Generator`` and the global seed: PyTorch's API (seeding, state round trips), NumPy's
streams (reproducible draws, not PyTorch's numbers)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt


def test_generator_api():
    g = mt.Generator()
    assert g.manual_seed(5) is g and g.initial_seed() == 5
    s = g.seed()
    assert g.initial_seed() == s and 0 <= s < 2**63
    state = g.get_state()
    a = mt.rand(4, generator=g)
    g.set_state(state)
    assert mt.rand(4, generator=g).tolist() == a.tolist()
    assert "initial_seed" in repr(g)
    with pytest.raises(ValueError, match="non-negative"):
        g.manual_seed(-1)


def test_manual_seed_returns_the_default_generator():
    g = mt.manual_seed(42)
    assert g is mt.default_generator is mt.random.default_generator
    assert mt.initial_seed() == 42 == g.initial_seed()
    a = mt.randn(3).tolist()
    mt.manual_seed(42)
    assert mt.randn(3).tolist() == a
    mt.default_generator.manual_seed(42)  # the CPU stream only, as torch.default_generator
    assert mt.randn(3).tolist() == a


def test_default_generator_draws_the_global_stream():
    mt.manual_seed(7)
    a = mt.rand(3).tolist()
    mt.manual_seed(7)
    assert mt.rand(3, generator=mt.default_generator).tolist() == a


def test_rng_state_round_trip_and_seed():
    state = mt.get_rng_state()
    a = mt.rand(5).tolist()
    mt.set_rng_state(state)
    assert mt.rand(5).tolist() == a
    s = mt.seed()
    assert mt.initial_seed() == s
    b = mt.rand(2).tolist()
    mt.manual_seed(s)
    assert mt.rand(2).tolist() == b


def test_fork_rng_restores_every_stream():
    mt.manual_seed(0)
    expected = mt.rand(3).tolist()
    mt.manual_seed(0)
    with mt.random.fork_rng():
        mt.rand(100)
    assert mt.rand(3).tolist() == expected
    with mt.random.fork_rng(enabled=False):
        mt.rand(1)
    assert mt.rand(3).tolist() != expected


def test_a_cuda_generator_draws_on_the_host():
    g = mt.Generator("cuda").manual_seed(1)
    assert g.device == mt.device("cuda")
    h = mt.Generator().manual_seed(1)
    assert np.array_equal(g.uniform((3,), np.float32), h.uniform((3,), np.float32))
