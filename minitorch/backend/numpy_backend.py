"""The NumPy backend: always available, the reference for every other backend."""

from __future__ import annotations

from typing import Any

import numpy as np

from minitorch.backend import parallel
from minitorch.backend.allocator import keep_freed_memory
from minitorch.backend.base import Array, Backend
from minitorch.backend.devices import device


class NumpyBackend(Backend):
    name = "numpy"
    xp = np

    def __init__(self) -> None:
        self.device = device("cpu")
        self.rng = np.random.default_rng()
        self._zeros: dict = {}  # dtype -> the block of zeros ``relu`` compares with
        keep_freed_memory()

    def asarray(self, data: Any, dtype: Any = None) -> Array:
        if type(data).__module__.startswith("cupy"):
            data = data.get()
        return np.asarray(data, dtype=dtype)

    def to_host(self, x: Array) -> np.ndarray:
        return x

    def from_host(self, x: Any) -> np.ndarray:
        return np.asarray(x)

    def owns(self, x: Array) -> bool:
        return isinstance(x, (np.ndarray, np.generic))

    def matmul(self, a: Array, b: Array) -> Array:
        # OpenBLAS is markedly faster on (M, K) @ (K, N) when M >= N: for a wide, short product
        # computing (b.T @ a.T).T gives the same numbers in column-major order. Measured for
        # the 784-512-512-10 MLP, batch 32: x @ W.T 219 -> 140 us, dy @ W 162 -> 142 us.
        if a.shape[0] < b.shape[1]:
            return (b.T @ a.T).T
        return a @ b

    def einsum(self, equation: str, *operands: Array) -> Array:
        # without optimize NumPy loops in C over every index combination: a float64 (64, 256)
        # by (256, 256) contraction took 760 us against 94 us for the BLAS call optimize picks;
        # one operand has nothing to contract, and optimize only adds its planning (1 -> 6 us)
        return np.einsum(equation, *operands, optimize=len(operands) > 1)

    # A chain of in-place ufuncs over a few parameter-sized arrays (an optimizer step) runs each
    # op over the whole array, so every op streams the arrays from memory again. Cut into pieces
    # that fit in L2 the chain runs from cache: measured 1.7x faster for SGD momentum over the
    # 670k parameters of a 784-512-512-10 MLP (375 us vs 656 us), on 2 AVX-512 cores.
    chunk_bytes = 256 * 1024

    def elementwise_chunks(self, size: int, itemsize: int) -> list | None:
        step = max(self.chunk_bytes // itemsize, 1)
        if size <= step:
            return None
        return [slice(start, min(start + step, size)) for start in range(0, size, step)]

    # NumPy's maximum against a scalar (a stride-0 operand) runs a loop 2.6x slower than
    # against a contiguous array: 0.26 against 0.10 ms for 800k float32 values (LeNet's first
    # ReLU). So ReLU takes the maximum row by row against one cached block of zeros, in that
    # operand order, which gives maximum(x, 0)'s bits (also for -0.0 and NaN; tested).
    relu_block = 16384

    def relu(self, x: Array) -> Array:
        k = self.relu_block
        if x.size < 2 * k or x.dtype.kind != "f" or not x.flags.c_contiguous:
            return np.maximum(x, 0)
        zeros = self._zeros.get(x.dtype)
        if zeros is None:
            zeros = self._zeros[x.dtype] = np.zeros(k, x.dtype)
        y = np.empty_like(x)
        x1, y1, rows = x.reshape(-1), y.reshape(-1), x.size // k
        np.maximum(x1[: rows * k].reshape(rows, k), zeros, out=y1[: rows * k].reshape(rows, k))
        np.maximum(x1[rows * k :], 0, out=y1[rows * k :])
        return y

    def piece_groups(self, pieces: list) -> list[list]:
        return parallel.groups(pieces)

    def run_groups(self, fn: Any, groups: list[list]) -> list:
        return parallel.run_groups(fn, groups)

    def sigmoid(self, x: Array, out: Array | None = None) -> Array:
        """As the base, without NumPy's overflow warning for ``exp(-x)`` far below 0."""
        with np.errstate(over="ignore"):
            return super().sigmoid(x, out)

    def scatter_add(self, target: Array, index: Any, values: Array) -> None:
        if not _is_row_index(index, values, target) or index.size < 64:
            np.add.at(target, index, values)
            return
        # Rows by a 1-D index (Embedding's backward): np.add.at goes element by element. Sort
        # the index (stably, so each row still sums in the original order: the same bits as
        # add.at) and add every row's first occurrence with one vectorised `+=`, then its
        # second, ...; hand a heavily repeated rest to add.at. 3.3x faster for 4096 random
        # rows of a 10000x256 table; never more than a few % slower.
        index = np.where(index < 0, index + target.shape[0], index)  # -1 and n-1 are one row
        order = np.argsort(index, kind="stable")
        index, values = index[order], values[order]
        for _ in range(3):
            first = np.empty(index.shape, dtype=bool)
            first[:1] = True
            np.not_equal(index[1:], index[:-1], out=first[1:])
            target[index[first]] += values[first]
            rest = ~first
            left = int(rest.sum())
            if left == 0:
                return
            index, values = index[rest], values[rest]
            if 2 * left > first.size:  # mostly repeats: one more pass would remove few
                break
        np.add.at(target, index, values)

    def erf(self, x: Array) -> Array:
        return _erf(x)

    def erfc(self, x: Array) -> Array:
        return _erfc(x)

    def seed(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)

    def get_rng_state(self) -> dict:
        return self.rng.bit_generator.state

    def set_rng_state(self, state: dict) -> None:
        self.rng.bit_generator.state = state

    def standard_normal(self, shape: tuple, dtype: Any) -> Array:
        return self.rng.standard_normal(shape, dtype=_float_dtype(dtype))

    def uniform(self, shape: tuple, dtype: Any) -> Array:
        return self.rng.random(shape, dtype=_float_dtype(dtype))

    def integers(self, low: int, high: int, shape: tuple) -> Array:
        return self.rng.integers(low, high, size=shape, dtype=np.int64)

    def permutation(self, n: int) -> Array:
        return self.rng.permutation(n)


def _float_dtype(dtype: Any) -> np.dtype:
    """NumPy's generators draw float32 or float64 only; half precision is drawn in float32."""
    dtype = np.dtype(dtype)
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float32)


# erf by the rational approximations of Sun's fdlibm ``s_erf.c`` (error < 1 ulp in float64),
# vectorised: each of the three ranges of |x| is evaluated on its own elements only.
_PP = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
       -5.77027029648944159157e-03, -2.37630166566501626084e-05)  # fmt: skip
_QQ = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
       1.32494738004321644526e-04, -3.96022827877536812320e-06)  # fmt: skip
_ERX = 8.45062911510467529297e-01
_PA = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
       3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
       -2.16637559486879084300e-03)  # fmt: skip
_QA = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
       1.26171219808761642112e-01, 1.36370839120290507362e-02,
       1.19844998467991074170e-02)  # fmt: skip
_RA = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e01,
       -6.23753324503260060396e01, -1.62396669462573470355e02, -1.84605092906711035994e02,
       -8.12874355063065934246e01, -9.81432934416914548592e00)  # fmt: skip
_SA = (1.0, 1.96512716674392571292e01, 1.37657754143519042600e02, 4.34565877475229228821e02,
       6.45387271733267880336e02, 4.29008140027567833386e02, 1.08635005541779435134e02,
       6.57024977031928170135e00, -6.04244152148580987438e-02)  # fmt: skip
_RB = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e01,
       -1.60636384855821916062e02, -6.37566443368389627722e02, -1.02509513161107724954e03,
       -4.83519191608651397019e02)  # fmt: skip
_SB = (1.0, 3.03380607434824582924e01, 3.25792512996573918826e02, 1.53672958608443695994e03,
       3.19985821950859553908e03, 2.55305040643316442583e03, 4.74528541206955367215e02,
       -2.24409524465858183362e01)  # fmt: skip


def _poly(coefficients: tuple, z: np.ndarray) -> np.ndarray:
    """c0 + c1 z + c2 z^2 + ... by Horner's rule (Python-float coefficients keep z's dtype)."""
    out = np.full_like(z, coefficients[-1])
    for c in coefficients[-2::-1]:
        out *= z
        out += c
    return out


def _erf(x: Any) -> np.ndarray:
    x = _float_array(x)
    ax = np.abs(x)
    out = np.empty_like(x)
    small = ax < 0.84375
    mid = (ax >= 0.84375) & (ax < 1.25)
    large = ~(small | mid)  # includes nan, which stays nan
    out[small] = _erf_small(ax[small])
    out[mid] = _ERX + _erf_mid(ax[mid])
    out[large] = 1.0 - _erfc_tail(np.minimum(ax[large], 6.0))  # erf(x) rounds to 1 beyond 6
    return np.copysign(out, x)


def _erfc(x: Any) -> np.ndarray:
    """``1 - erf(x)`` without the cancellation of computing it so (fdlibm's ``erfc``)."""
    x = _float_array(x)
    ax = np.abs(x)
    out = np.empty_like(x)
    small = ax < 0.84375
    mid = (ax >= 0.84375) & (ax < 1.25)
    large = ~(small | mid)
    out[small] = 1.0 - np.copysign(_erf_small(ax[small]), x[small])
    out[mid] = 1.0 - np.copysign(_ERX + _erf_mid(ax[mid]), x[mid])
    tail = _erfc_tail(np.minimum(ax[large], 28.0))  # erfc(28) is below the smallest double
    out[large] = np.where(x[large] < 0, 2.0 - tail, tail)
    return out


def _float_array(x: Any) -> np.ndarray:
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _erf_small(a: np.ndarray) -> np.ndarray:
    """erf(a) for 0 <= a < 0.84375."""
    z = a * a
    return a + a * (_poly(_PP, z) / _poly(_QQ, z))


def _erf_mid(a: np.ndarray) -> np.ndarray:
    """erf(a) - erx for 0.84375 <= a < 1.25."""
    s = a - 1.0
    return _poly(_PA, s) / _poly(_QA, s)


def _erfc_tail(a: np.ndarray) -> np.ndarray:
    """erfc(a) for a >= 1.25 (finite)."""
    s = 1.0 / (a * a)
    tail = a < 1 / 0.35
    ratio = np.where(tail, _poly(_RA, s) / _poly(_SA, s), _poly(_RB, s) / _poly(_SB, s))
    # exp(-a^2) split as exp(-z^2) exp((z - a)(z + a)) with z = a rounded to 21 bits, so the
    # rounding error of a*a does not reach the result (fdlibm's trick)
    z = (a.view(np.uint64) & 0xFFFFFFFF00000000).view(np.float64) if a.dtype == np.float64 else a
    return np.exp(-z * z - 0.5625) * np.exp((z - a) * (z + a) + ratio) / a


def _is_row_index(index: Any, values: Any, target: Any) -> bool:
    """``target[index] += values`` with ``index`` one 1-D integer array over target's rows."""
    return (
        isinstance(index, np.ndarray)
        and index.ndim == 1
        and index.dtype.kind in "iu"
        and target.ndim >= 1
        and values.shape == (index.size, *target.shape[1:])
    )
