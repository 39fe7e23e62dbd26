"""The engine: chain rule over every path, the source texts' worked examples, graph lifetime."""

import numpy as np
import pytest

import minitorch as mt


def leaf(value, device="cpu"):
    return mt.tensor(value, dtype=mt.float64, device=device, requires_grad=True)


def test_j_equals_3_times_a_plus_bc(device):
    a, b, c = leaf(5.0, device), leaf(3.0, device), leaf(2.0, device)
    j = 3 * (a + b * c)
    j.backward()
    assert j.item() == 33
    assert (a.grad.item(), b.grad.item(), c.grad.item()) == (3, 6, 9)


def test_e_equals_a_plus_b_times_b_plus_1_sums_both_paths_into_b(device):
    a, b = leaf(2.0, device), leaf(1.0, device)
    e = (a + b) * (b + 1)
    e.backward()
    assert e.item() == 6
    assert (a.grad.item(), b.grad.item()) == (2, 5)


def test_f_equals_x_plus_y_times_z(device):
    x, y, z = leaf(-2.0, device), leaf(5.0, device), leaf(-4.0, device)
    f = (x + y) * z
    f.backward()
    assert f.item() == -12
    assert (x.grad.item(), y.grad.item(), z.grad.item()) == (-4, -4, 3)


def test_max_routes_the_gradient_to_the_larger_input_only(device):
    x, y = leaf(3.0, device), leaf(7.0, device)
    mt.maximum(x, y).backward()
    assert (x.grad.item(), y.grad.item()) == (0, 1)
    v = leaf([1.0, 9.0, 4.0], device)
    v.max().backward()
    np.testing.assert_array_equal(v.grad.numpy(), [0, 1, 0])


def test_gradients_accumulate_across_backward_calls_until_zeroed():
    x = leaf([1.0, 2.0])
    (x * 3).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [6, 6])
    x.grad = None
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2, 4])


def test_a_tensor_used_many_times_gets_the_sum_of_all_paths():
    x = leaf(2.0)
    y = x * x * x + x  # dy/dx = 3x^2 + 1 = 13
    y.backward()
    assert x.grad.item() == 13


def test_diamond_graph_runs_each_backward_once():
    x = leaf(3.0)
    h = x * 2
    y = h * h + h  # dy/dh = 2h + 1 = 13, dh/dx = 2
    y.backward()
    assert x.grad.item() == 26


def test_second_backward_through_a_freed_graph_raises():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4, 8])


def test_backward_on_a_non_scalar_needs_a_gradient():
    x = leaf([1.0, 2.0])
    y = x * 2
    with pytest.raises(RuntimeError, match=r"scalar output, got shape \(2,\)"):
        y.backward()
    y.backward(mt.tensor([1.0, 10.0], dtype=mt.float64))
    np.testing.assert_array_equal(x.grad.numpy(), [2, 20])


def test_backward_gradient_of_the_wrong_shape_is_rejected():
    y = leaf([1.0, 2.0]) * 2
    with pytest.raises(RuntimeError, match=r"expects shape \(2,\), got \(3,\)"):
        y.backward(mt.tensor([1.0, 1.0, 1.0]))


def test_backward_on_a_tensor_that_needs_no_grad_raises():
    with pytest.raises(RuntimeError, match="does not require grad"):
        (mt.tensor([1.0]) * 2).sum().backward()


def test_no_grad_records_nothing_and_works_as_decorator():
    x = leaf([1.0])
    with mt.no_grad():
        y = x * 2
    assert not y.requires_grad and y.grad_fn is None

    @mt.no_grad()
    def double(t):
        return t * 2

    assert not double(x).requires_grad
    assert mt.is_grad_enabled()
    with mt.no_grad():
        with mt.enable_grad():
            assert (x * 2).requires_grad


def test_detach_cuts_the_graph():
    x = leaf([2.0])
    y = (x * x.detach()).sum()
    y.backward()
    assert x.grad.item() == 2


def test_multi_root_backward():
    x = leaf([1.0, 2.0])
    a, b = (x * 2).sum(), (x * x).sum()
    mt.autograd.backward([a, b])
    np.testing.assert_array_equal(x.grad.numpy(), [4, 6])


@pytest.mark.cuda
def test_mixing_cpu_and_cuda_names_both_devices():
    if not mt.cuda.is_available():
        pytest.skip("needs CuPy and a GPU")
    with pytest.raises(RuntimeError, match="cpu.*cuda:0|cuda:0.*cpu"):
        mt.tensor([1.0]) + mt.tensor([1.0], device="cuda")


def test_inplace_on_a_leaf_that_requires_grad_is_refused():
    x = leaf([1.0])
    with pytest.raises(RuntimeError, match="in-place"):
        x += 1
    with mt.no_grad():
        x += 1
    assert x.item() == 2


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = leaf([1.0, 2.0])
    h = x * 2
    h.retain_grad()
    (h * h).sum().backward()
    np.testing.assert_array_equal(h.grad.numpy(), [4, 8])
    np.testing.assert_array_equal(x.grad.numpy(), [8, 16])


def test_backward_releases_intermediate_arrays():
    import gc
    import weakref

    x = leaf(np.ones(1000))
    h = x * 2
    ref = weakref.ref(h.array)
    loss = (h * 3).sum()
    del h
    loss.backward()
    gc.collect()
    assert ref() is None  # the graph no longer keeps the activation alive through `loss`


def test_detect_anomaly_names_the_layer_that_made_nan():
    x = leaf([0.0, 1.0])
    y = x.sqrt().sum()  # d sqrt / dx at 0 is inf
    with mt.autograd.detect_anomaly(), np.errstate(divide="ignore"):
        with pytest.raises(
            RuntimeError, match="Sqrt.backward returned inf in the gradient of input 0 from finite"
        ):
            y.backward()
    assert not mt.autograd.is_anomaly_enabled()


def test_detect_anomaly_names_the_module_path():
    class Block(mt.nn.Module):
        def __init__(self):
            super().__init__()
            self.linear1 = mt.nn.Linear(2, 2)

        def forward(self, x):
            return self.linear1(x).sqrt()

    class Net(mt.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = mt.nn.ModuleList([Block(), Block()])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    net = Net()
    with mt.no_grad():
        net.layers[1].linear1.weight.fill_(float("nan"))
    with mt.autograd.detect_anomaly(), np.errstate(invalid="ignore"):
        out = net(mt.ones(1, 2)).sum()
        with pytest.raises(
            RuntimeError, match=r"^Sqrt.backward \(in layers.1, Block\) returned nan"
        ):
            out.backward()
    head = mt.nn.Sequential(mt.nn.Linear(2, 2), mt.nn.Linear(2, 2))
    with mt.no_grad():
        head[1].weight.copy_(mt.tensor([[float("inf"), 0.0], [float("-inf"), 0.0]]))
    with mt.autograd.detect_anomaly(), np.errstate(invalid="ignore"):
        out = (head(mt.ones(1, 2)) * 0).sum()  # finite gradients reach head[1]
        with pytest.raises(RuntimeError, match=r"^1 \(Linear\).backward returned nan .* finite"):
            out.backward()
