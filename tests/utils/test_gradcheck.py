"""gradcheck itself: it passes right gradients and catches wrong ones, naming the element."""

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn


class WrongSquare(nn.Layer):
    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, dy):
        (x,) = self.saved
        return 3 * x * dy  # wrong on purpose


def test_catches_a_wrong_backward_and_names_the_worst_element(rng):
    with pytest.raises(mt.utils.GradcheckError, match=r"input 0 at index \(\d+, \d+\): analytic"):
        mt.gradcheck(WrongSquare(), rng.standard_normal((2, 3)))


def test_catches_a_wrong_parameter_gradient(rng):
    class BadBias(nn.Linear):
        def backward(self, dy):
            dx = super().backward(dy)
            self.add_grad(self.bias, np.ones(self.bias.shape))  # spurious
            return dx

    with pytest.raises(mt.utils.GradcheckError, match="parameter 'bias'"):
        mt.gradcheck(BadBias(3, 2), rng.standard_normal((4, 3)))


def test_restores_float32_parameters_and_leaves_inputs_alone(rng):
    layer = nn.Linear(3, 2)
    before = layer.weight.detach().numpy().copy()
    x = rng.standard_normal((4, 3))
    x_before = x.copy()
    assert mt.gradcheck(layer, x)
    assert layer.weight.dtype == mt.float32 and layer.weight.grad is None
    np.testing.assert_array_equal(layer.weight.detach().numpy(), before)
    np.testing.assert_array_equal(x, x_before)


def test_tensor_without_requires_grad_is_a_constant(rng):
    target = mt.tensor(rng.standard_normal((3, 2)))
    assert mt.gradcheck(nn.MSELoss(), rng.standard_normal((3, 2)), target)


def test_nothing_to_check_is_an_error():
    with pytest.raises(ValueError, match="nothing to check"):
        mt.gradcheck(lambda x: x * 2, mt.tensor([1.0]))


def test_non_contiguous_inputs_are_perturbed_in_place(rng):
    x = mt.tensor(rng.standard_normal((4, 3)), requires_grad=True).detach().T  # a transposed view
    x.requires_grad_(True)
    assert not x.array.flags["C_CONTIGUOUS"]
    assert mt.gradcheck(lambda t: (t * t).sum(dim=0), x)
