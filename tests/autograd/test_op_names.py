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
