"""Every name of the ``torch.*`` / ``Tensor`` surface minitorch covers exists in both places
where PyTorch has it (introspecting ``torch`` against ``minitorch``)."""

import pytest

import minitorch as mt

torch = pytest.importorskip("torch")

NAMES = """
sin cos tan asin acos atan atan2 sinh cosh tanh asinh acosh atanh arcsin arccos arctan arctan2
arcsinh arccosh arctanh exp exp2 expm1 log log2 log10 log1p pow sqrt rsqrt square abs absolute
sign sgn neg negative reciprocal clamp clip clamp_min clamp_max floor ceil round trunc fix frac
maximum minimum fmax fmin sigmoid erf erfc lerp addcmul addcdiv softmax log_softmax relu
nan_to_num remainder fmod floor_divide add sub mul div true_divide divide multiply subtract
eq ne lt le gt ge greater greater_equal less less_equal not_equal equal allclose isclose isnan
isinf isfinite isposinf isneginf isreal logical_and logical_or logical_not logical_xor
bitwise_and bitwise_or bitwise_xor bitwise_not is_floating_point is_nonzero
sum nansum mean nanmean prod std var var_mean std_mean norm dist cdist max min amax amin argmax
argmin any all logsumexp cumsum cumprod count_nonzero median kthvalue
topk sort argsort msort gather scatter scatter_add index_select masked_fill masked_fill_
masked_select where nonzero argwhere take take_along_dim
tril triu split tensor_split chunk unbind narrow flip fliplr flipud roll repeat tile
repeat_interleave expand expand_as squeeze unsqueeze t movedim moveaxis swapaxes swapdims
transpose permute view reshape flatten unflatten ravel broadcast_to einsum outer ger inner
tensordot bmm mm mv dot vdot matmul baddbmm addmm addmv addr addbmm chain_matmul diag diagonal
diag_embed trace clone cat concat concatenate stack hstack vstack dstack column_stack row_stack
meshgrid atleast_1d atleast_2d atleast_3d numel
""".split()

LINALG = "norm vector_norm matrix_norm svdvals matmul multi_dot".split()


def test_names_exist_as_function_and_method_where_torch_has_them():
    missing = []
    for name in NAMES:
        as_function, as_method = hasattr(torch, name), hasattr(torch.Tensor, name)
        assert as_function or as_method, f"{name} is in neither torch nor torch.Tensor"
        if as_function and not callable(getattr(mt, name, None)):
            missing.append(f"minitorch.{name}")
        if as_method and not callable(getattr(mt.Tensor, name, None)):
            missing.append(f"Tensor.{name}")
    assert not missing, "missing: " + ", ".join(missing)


def test_linalg_and_functional_names():
    for name in LINALG:
        assert hasattr(torch.linalg, name)
        assert callable(getattr(mt.linalg, name, None)), f"minitorch.linalg.{name}"
    assert callable(mt.nn.functional.one_hot)


def test_dunder_operators_torch_has():
    for name in ("__and__", "__or__", "__xor__", "__invert__", "__mod__", "__floordiv__",
                 "__rand__", "__ror__", "__rxor__", "__rmod__", "__rfloordiv__"):  # fmt: skip
        assert hasattr(torch.Tensor, name) and hasattr(mt.Tensor, name), name


KEYWORD_CALLS = [
    lambda lib, x, m, i: lib.sum(input=m, dim=0, keepdim=True),
    lambda lib, x, m, i: lib.narrow(x, dim=0, start=1, length=2),
    lambda lib, x, m, i: lib.topk(x, k=2, dim=0, largest=False, sorted=True),
    lambda lib, x, m, i: x.pow(exponent=2),
    lambda lib, x, m, i: lib.pow(x, exponent=3),
    lambda lib, x, m, i: lib.broadcast_to(x, size=(2, 4)),
    lambda lib, x, m, i: lib.concatenate([x, x], axis=0),
    lambda lib, x, m, i: lib.cat([x, x], dim=0),
    lambda lib, x, m, i: lib.gather(m, dim=1, index=i),
    lambda lib, x, m, i: lib.sort(x, dim=0, descending=True, stable=True),
    lambda lib, x, m, i: lib.clamp(x, min=-0.5, max=0.5),
    lambda lib, x, m, i: lib.where(condition=x > 0, input=x, other=-x),
    lambda lib, x, m, i: lib.masked_fill(input=x, mask=x > 0, value=0.0),
    lambda lib, x, m, i: lib.index_select(m, dim=0, index=i[:, 0]),
    lambda lib, x, m, i: lib.split(m, split_size_or_sections=1, dim=0),
    lambda lib, x, m, i: lib.repeat_interleave(x, repeats=2, dim=0),
    lambda lib, x, m, i: lib.roll(x, shifts=1, dims=0),
    lambda lib, x, m, i: lib.flip(m, dims=(0,)),
    lambda lib, x, m, i: lib.movedim(m, source=0, destination=1),
    lambda lib, x, m, i: lib.transpose(m, dim0=0, dim1=1),
    lambda lib, x, m, i: lib.tril(m, diagonal=1),
    lambda lib, x, m, i: lib.cumsum(x, dim=0),
    lambda lib, x, m, i: lib.logsumexp(m, dim=1, keepdim=True),
    lambda lib, x, m, i: lib.norm(m, p=1, dim=1, keepdim=False),
    lambda lib, x, m, i: lib.std(m, dim=1, correction=0, keepdim=True),
    lambda lib, x, m, i: lib.max(m, dim=1, keepdim=True),
    lambda lib, x, m, i: lib.argmax(m, dim=1, keepdim=False),
    lambda lib, x, m, i: lib.atan2(input=x, other=x + 1),
    lambda lib, x, m, i: lib.lerp(input=x, end=x * 2, weight=0.25),
    lambda lib, x, m, i: lib.squeeze(m[None], dim=0),
    lambda lib, x, m, i: lib.unflatten(m, dim=1, sizes=(2, 2)),
    lambda lib, x, m, i: lib.diagonal(m, offset=1, dim1=0, dim2=1),
    lambda lib, x, m, i: lib.isclose(x, x, rtol=0.0, atol=0.0, equal_nan=True),
    lambda lib, x, m, i: lib.addmm(m, m, lib.eye(4, dtype=m.dtype), beta=0.5, alpha=2),
    lambda lib, x, m, i: lib.round(x, decimals=1),
    lambda lib, x, m, i: lib.div(x, x + 3, rounding_mode="floor"),
    lambda lib, x, m, i: lib.softmax(m, dim=-1, dtype=lib.float64),
]


@pytest.mark.parametrize("call", KEYWORD_CALLS, ids=[str(i) for i in range(len(KEYWORD_CALLS))])
def test_pytorch_keyword_names(call):
    import numpy as np

    rng = np.random.default_rng(0)
    x, m = rng.standard_normal(4), rng.standard_normal((3, 4))
    i = np.array([[0, 2], [1, 1], [2, 0]])
    ours = call(mt, mt.tensor(x), mt.tensor(m), mt.tensor(i))
    theirs = call(torch, torch.tensor(x), torch.tensor(m), torch.tensor(i))
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.numpy(), b.numpy(), atol=1e-12)
