"""Random tensors and fills: PyTorch's signatures, shapes and dtypes, the right distributions,
and determinism under ``mt.manual_seed`` and ``generator=`` (the numbers are not PyTorch's:
its generators are different)."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt

torch = pytest.importorskip("torch")

N = 200_000  # draws for the distribution checks; a 5-sigma band keeps them from flaking


def close(value: float, expected: float, sigma: float) -> None:
    assert abs(value - expected) < 5 * sigma / np.sqrt(N), (value, expected)


DRAWS = {
    "rand": (lambda L, **k: L.rand(2, 3, **k), lambda L, **k: L.rand((2, 3), **k)),
    "randn": (lambda L, **k: L.randn(2, 3, **k), lambda L, **k: L.randn([2, 3], **k)),
    "randint": (lambda L, **k: L.randint(5, (2, 3), **k),
                lambda L, **k: L.randint(2, 5, size=(2, 3), **k)),
    "randperm": (lambda L, **k: L.randperm(6, **k), lambda L, **k: L.randperm(6, **k)),
    "normal": (lambda L, **k: L.normal(0.0, 1.0, (2, 3), **k),
               lambda L, **k: L.normal(L.zeros(2, 3), 2.0, **k)),
    "multinomial": (lambda L, **k: L.multinomial(L.ones(2, 5), 3, **k),
                    lambda L, **k: L.multinomial(L.ones(5), 7, replacement=True, **k)),
    "bernoulli": (lambda L, **k: L.bernoulli(L.full((2, 3), 0.5), **k),
                  lambda L, **k: L.bernoulli(L.zeros(2, 3), 0.5, **k)),
}  # fmt: skip


@pytest.mark.parametrize("forms", DRAWS.values(), ids=DRAWS.keys())
def test_shapes_and_dtypes_match_torch(forms):
    for make in forms:
        m, t = make(mt), make(torch)
        assert m.shape == tuple(t.shape) and str(m.dtype) == str(t.dtype).replace("torch.", "")


@pytest.mark.parametrize("forms", DRAWS.values(), ids=DRAWS.keys())
def test_seeds_and_generators_make_draws_reproducible(forms):
    make = forms[0]
    mt.manual_seed(3)
    a = make(mt).numpy()
    mt.manual_seed(3)
    assert np.array_equal(make(mt).numpy(), a)
    g = mt.Generator().manual_seed(11)
    b = make(mt, generator=g).numpy()
    mt.manual_seed(3)
    assert np.array_equal(make(mt, generator=mt.Generator().manual_seed(11)).numpy(), b)
    state = g.get_state()
    c = make(mt, generator=g).numpy()
    g.set_state(state)
    assert np.array_equal(make(mt, generator=g).numpy(), c)


def test_a_generator_leaves_the_global_stream_alone():
    mt.manual_seed(0)
    expected = mt.rand(4).numpy()
    mt.manual_seed(0)
    mt.randn(100, generator=mt.Generator().manual_seed(1))
    assert np.array_equal(mt.rand(4).numpy(), expected)


def test_dtypes_devices_and_requires_grad():
    assert mt.rand(2, dtype=mt.float64).dtype == mt.float64
    assert mt.randn(2, dtype=mt.float16).dtype == mt.float16
    assert mt.randn(2, requires_grad=True).requires_grad
    assert mt.randint(0, 3, (4,), dtype=mt.float32).dtype == mt.float32
    assert mt.randperm(4, dtype=mt.int32).dtype == mt.int32
    assert mt.rand(2, device="cpu").device == mt.device("cpu")
    with pytest.raises(RuntimeError, match="expected a floating point dtype"):
        mt.rand(2, dtype=mt.int64)


def test_distributions():
    mt.manual_seed(1)
    u = mt.rand(N).numpy().astype(np.float64)
    close(u.mean(), 0.5, np.sqrt(1 / 12))
    assert u.min() >= 0 and u.max() < 1
    z = mt.randn(N).numpy().astype(np.float64)
    close(z.mean(), 0.0, 1.0)
    close(z.std(), 1.0, np.sqrt(0.5))
    n = mt.normal(3.0, 2.0, (N,)).numpy().astype(np.float64)
    close(n.mean(), 3.0, 2.0)
    close(n.std(), 2.0, np.sqrt(2.0))
    k = mt.randint(-2, 3, (N,)).numpy()
    assert set(np.unique(k)) == {-2, -1, 0, 1, 2}
    close(k.mean(), 0.0, np.sqrt(2.0))
    b = mt.bernoulli(mt.full((N,), 0.3)).numpy()
    close(b.mean(), 0.3, np.sqrt(0.21))
    assert sorted(mt.randperm(50).tolist()) == list(range(50))


def test_normal_forms():
    m = mt.normal(mt.tensor([0.0, 100.0]), mt.tensor([1e-6, 1e-6]))
    np.testing.assert_allclose(m.numpy(), [0.0, 100.0], atol=1e-3)
    assert mt.normal(mt.zeros(2, 1), mt.ones(3)).shape == (2, 3)
    assert mt.normal(0.0, mt.ones(3)).shape == (3,)
    assert mt.normal(mt.zeros(2, dtype=mt.float64), 1.0).dtype == mt.float64
    with pytest.raises(TypeError, match="needs a size"):
        mt.normal(0.0, 1.0)
    with pytest.raises(RuntimeError, match="std >= 0.0"):
        mt.normal(mt.zeros(2), -1.0)


def test_randint_signatures_as_torch():
    assert mt.randint(5, (3,)).max().item() < 5
    assert mt.randint(high=5, size=(3,)).shape == (3,)
    assert mt.randint(3, 5, size=(100,)).min().item() >= 3
    with pytest.raises(TypeError):
        torch.randint(0, 5)
    with pytest.raises(TypeError, match=r"randint\(\) expects randint\(high, size\)"):
        mt.randint(0, 5)
    with pytest.raises(RuntimeError, match="from=5 >= to=5"):
        mt.randint(5, 5, (2,))


def test_multinomial_without_replacement_draws_distinct_weighted_categories():
    mt.manual_seed(2)
    w = mt.tensor([[0.0, 1.0, 1.0, 2.0], [5.0, 0.0, 0.0, 1.0]])
    draws = mt.multinomial(w, 2)
    assert draws.dtype == mt.int64 and draws.shape == (2, 2)
    assert sorted(draws[1].tolist()) == [0, 3]  # the only two non-zero categories
    assert mt.multinomial(mt.tensor([1.0, 0.0]), 2).tolist() == [0, 1]  # then zeros, as torch
    firsts = mt.multinomial(mt.tensor([1.0, 2.0, 7.0]).expand(N, 3), 1).numpy().ravel()
    for c, p in enumerate([0.1, 0.2, 0.7]):
        close((firsts == c).mean(), p, np.sqrt(p * (1 - p)))
    rows = mt.multinomial(mt.ones(1000, 6), 6).numpy()
    assert (np.sort(rows, axis=1) == np.arange(6)).all()
    assert mt.ones(3).multinomial(2).shape == (2,)


def test_multinomial_with_replacement_follows_the_weights():
    mt.manual_seed(4)
    w = mt.tensor([[1.0, 0.0, 3.0], [0.0, 1.0, 0.0]])
    d = mt.multinomial(w, N, replacement=True).numpy()
    assert (d[1] == 1).all() and not (d[0] == 1).any()
    close((d[0] == 2).mean(), 0.75, np.sqrt(0.75 * 0.25))


@pytest.mark.parametrize(
    "args",
    [(mt.tensor([1, 2]), 1), (mt.tensor([-1.0, 1.0]), 1),
     (mt.tensor([0.0, 0.0]), 1), (mt.tensor([1.0, 1.0]), 3)],
)  # fmt: skip
def test_multinomial_errors_as_torch(args):
    t_args = (torch.tensor(args[0].tolist()), args[1])
    with pytest.raises(RuntimeError) as theirs:
        torch.multinomial(*t_args)
    with pytest.raises(RuntimeError) as ours:
        mt.multinomial(*args)
    assert str(ours.value).split(",")[0] == str(theirs.value).split(",")[0].split(": got")[0]


FILLS = {
    "uniform_": (lambda t, **k: t.uniform_(-2, 3, **k), -2, 3, 0.5, np.sqrt(25 / 12)),
    "normal_": (lambda t, **k: t.normal_(1.0, 0.5, **k), None, None, 1.0, 0.5),
    "bernoulli_": (lambda t, **k: t.bernoulli_(0.25, **k), 0, 1, 0.25, np.sqrt(0.1875)),
    "random_": (lambda t, **k: t.random_(0, 4, **k), 0, 3, 1.5, np.sqrt(1.25)),
    "exponential_": (lambda t, **k: t.exponential_(2.0, **k), 0, None, 0.5, 0.5),
}


@pytest.mark.parametrize("fill, low, high, mean, std", FILLS.values(), ids=FILLS.keys())
def test_inplace_fills(fill, low, high, mean, std):
    t = mt.zeros(N)
    ptr = t.data_ptr()
    assert fill(t) is t and t.data_ptr() == ptr and t._version == 1 and t.dtype == mt.float32
    v = t.numpy().astype(np.float64)
    close(v.mean(), mean, std)
    assert low is None or v.min() >= low
    assert high is None or v.max() <= high
    a = fill(mt.zeros(5), generator=mt.Generator().manual_seed(7)).numpy()
    b = fill(mt.zeros(5), generator=mt.Generator().manual_seed(7)).numpy()
    assert np.array_equal(a, b)


def test_fill_details():
    assert set(mt.zeros(1000).random_(3).tolist()) == {0.0, 1.0, 2.0}
    assert mt.zeros(4, dtype=mt.int64).random_(5).dtype == mt.int64
    assert mt.zeros(100, dtype=mt.bool).random_().dtype == mt.bool
    assert mt.zeros(100, dtype=mt.int8).random_().min().item() >= 0
    assert mt.zeros(3, dtype=mt.int64).bernoulli_(0.5).dtype == mt.int64
    p = mt.tensor([0.0, 1.0, 0.0, 1.0])
    assert mt.zeros(4).bernoulli_(p).tolist() == [0.0, 1.0, 0.0, 1.0]
    assert mt.tensor([0.0, 1.0]).bernoulli().tolist() == [0.0, 1.0]
    with pytest.raises(RuntimeError, match="from=1 > to=0"):
        mt.zeros(2).uniform_(1, 0)
    with pytest.raises(RuntimeError, match="expected a floating point tensor"):
        mt.zeros(2, dtype=mt.int64).normal_()
    with pytest.raises(RuntimeError, match="lambda > 0.0"):
        mt.zeros(2).exponential_(0)
    w = mt.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        w.uniform_()
    with mt.no_grad():
        w.normal_()  # how nn.init fills parameters


def test_fill_inside_a_graph_cuts_the_gradient_to_old_values():
    a = mt.ones(3, requires_grad=True)
    y = a * 2
    y.uniform_()
    (y * 3 + a).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0, 1.0]


def test_generator_device_must_match():
    assert mt.Generator().device == mt.device("cpu")
    cuda_gen = mt.Generator("cuda")
    with pytest.raises(RuntimeError, match="Expected a 'cpu' device type for generator but found"
                                           " 'cuda'"):  # fmt: skip
        mt.rand(2, generator=cuda_gen)


def test_like_forms():
    x = mt.zeros(2, 3, dtype=mt.float64)
    for y in (mt.rand_like(x), mt.randn_like(x)):
        assert y.shape == (2, 3) and y.dtype == mt.float64
    r = mt.randint_like(x, 10)
    assert r.dtype == mt.float64 and r.max().item() < 10
    assert mt.randint_like(x, 5, 7).min().item() >= 5
