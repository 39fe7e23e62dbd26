"""minitorch's thread pool: every threaded path gives the single-threaded result bit for bit,
and one thread (the default, or ``set_num_threads(1)``) runs everything on the caller."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import minitorch as mt
from minitorch import optim
from minitorch.backend import numpy_backend, parallel


@pytest.fixture
def pool_size():
    """Set the pool's size for one test; the size before is restored afterwards."""
    before = parallel._size
    yield parallel.set_pool_size
    parallel.set_pool_size(before) if before is not None else parallel.set_pool_size(1)
    parallel._size = before


def run_pieces(fn, pieces: list) -> list:
    """``[fn(p) for p in pieces]`` through the pool: grouped, run, flattened in order."""
    done = parallel.run_groups(lambda _, group: [fn(p) for p in group], parallel.groups(pieces))
    return [r for group in done for r in group]


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_groups_keep_the_order_and_spreads_over_threads(pool_size, threads):
    pool_size(threads)
    seen = {}
    out = run_pieces(lambda p: seen.setdefault(p, threading.get_ident()) and p * p,
                     list(range(7)))  # fmt: skip
    assert out == [p * p for p in range(7)]
    sizes = [len(g) for g in parallel.groups(list(range(7)))]
    assert len(sizes) == threads and sum(sizes) == 7 and max(sizes) - min(sizes) <= 1
    assert seen[6] == threading.get_ident()  # the caller runs the last group
    # the other groups went to the pool (which may serve several from one thread)
    assert (len(set(seen.values())) > 1) == (threads > 1)


def test_one_thread_runs_on_the_caller(pool_size):
    pool_size(1)
    me = threading.get_ident()
    assert run_pieces(lambda p: threading.get_ident(), [0, 1, 2]) == [me] * 3


def test_an_exception_in_a_worker_reaches_the_caller(pool_size):
    pool_size(2)

    def fail_first(p):
        if p == 0:
            raise KeyError("piece 0")
        return p

    with pytest.raises(KeyError, match="piece 0"):
        run_pieces(fail_first, [0, 1, 2, 3])


def test_set_num_threads_sizes_the_pool(pool_size):
    before = mt.get_num_threads()
    try:
        mt.set_num_threads(3)
        assert parallel.pool_size() == 3
        mt.set_num_threads(1)
        assert parallel.pool_size() == 1
    finally:
        mt.set_num_threads(before)


def test_the_environment_sizes_the_pool(monkeypatch, pool_size):
    monkeypatch.setenv("MINITORCH_NUM_THREADS", "3")
    parallel._size = None
    assert parallel.pool_size() == 3 and mt.get_num_threads() == 3
    parallel._size = None
    monkeypatch.setenv("MINITORCH_NUM_THREADS", "two")
    with pytest.raises(ValueError, match="MINITORCH_NUM_THREADS must be a positive integer"):
        parallel.pool_size()
    parallel._size = None
    monkeypatch.delenv("MINITORCH_NUM_THREADS")
    assert parallel.pool_size() == 1  # the default


def _train(make_opt, threads, pool_size, steps=3):
    """Parameters after ``steps`` optimizer steps on fixed gradients, with ``threads``."""
    pool_size(threads)
    rng = np.random.default_rng(0)
    # large enough for the chunked (and so threaded) update: 300k float32 values = 1.2 MB
    params = [mt.nn.Parameter(mt.tensor(rng.standard_normal(s, dtype=np.float32)))
              for s in [(600, 500), (500,), (3, 7)]]  # fmt: skip
    grads = [rng.standard_normal(p.shape, dtype=np.float32) for p in params]
    opt = make_opt(params)
    for step in range(steps):
        for p, g in zip(params, grads):
            p.grad = mt.tensor(g * (step + 1))
        opt.step()
    state = [
        {k: np.array(v.numpy() if hasattr(v, "numpy") else v) for k, v in opt.state[p].items()}
        for p in params
    ]
    return [p.detach().numpy().copy() for p in params], state


OPTIMIZERS = {
    "sgd_momentum": lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9, weight_decay=1e-4),
    "adam": lambda ps: optim.Adam(ps, lr=1e-3),
    "adamw_amsgrad": lambda ps: optim.AdamW(ps, lr=1e-3, amsgrad=True),
    "rmsprop": lambda ps: optim.RMSprop(ps, lr=1e-3, momentum=0.5, centered=True),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
@pytest.mark.parametrize("threads", [2, 3])
def test_threaded_optimizer_update_is_bit_identical(pool_size, name, threads):
    assert numpy_backend().elementwise_chunks(300_000, 4) is not None  # the threaded path runs
    ref_params, ref_state = _train(OPTIMIZERS[name], 1, pool_size)
    params, state = _train(OPTIMIZERS[name], threads, pool_size)
    for a, b in zip(ref_params, params):
        assert a.tobytes() == b.tobytes()
    for sa, sb in zip(ref_state, state):
        assert sa.keys() == sb.keys()
        for k in sa:
            assert np.asarray(sa[k]).tobytes() == np.asarray(sb[k]).tobytes(), k


SPECIAL = np.array([-0.0, 0.0, np.nan, -np.nan, np.inf, -np.inf, -1.5, 2.5, 1e-45, -1e-45])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("size", [5, 32767, 32768, 32769, 100_003])
def test_relu_fast_path_gives_maximum_x_0_bit_for_bit(dtype, size):
    backend = numpy_backend()
    rng = np.random.default_rng(size)
    x = rng.standard_normal(size).astype(dtype)
    x[rng.integers(0, size, 3 * len(SPECIAL))] = np.tile(SPECIAL, 3).astype(dtype)
    y = backend.relu(x)
    ref = np.maximum(x, 0)
    assert y.dtype == ref.dtype and y.shape == ref.shape
    assert y.tobytes() == ref.tobytes()


def test_relu_keeps_shape_and_handles_strided_and_integer_input():
    backend = numpy_backend()
    x = np.random.default_rng(0).standard_normal((64, 16, 28, 28)).astype(np.float32)
    assert backend.relu(x).tobytes() == np.maximum(x, 0).tobytes()
    strided = x[:, ::2]
    assert np.array_equal(backend.relu(strided), np.maximum(strided, 0))
    ints = np.arange(-40000, 40000)
    assert np.array_equal(backend.relu(ints), np.maximum(ints, 0))
    assert backend.relu(ints).dtype == ints.dtype
