"""Fixtures for the optimizer tests."""

import pytest

import minitorch as mt


@pytest.fixture
def same_default_dtype(torch):
    """minitorch's default dtype set to torch's (the ``torch`` fixture makes it float64): NAdam
    rounds ``mu_product`` to the default dtype, as PyTorch keeps it as a tensor of that dtype."""
    before = mt.get_default_dtype()
    mt.set_default_dtype(mt.float64 if torch.get_default_dtype() == torch.float64 else mt.float32)
    yield
    mt.set_default_dtype(before)
