"""scaled_dot_product_attention, MultiheadAttention and TransformerEncoderLayer against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from minitorch.nn import functional as F
from tests.helpers import assert_keeps_float32, compare_with_torch, to_numpy

E, HEADS, N, L, S = 8, 2, 3, 4, 5


def _qkv(rng, batch_first, kdim=E, vdim=E):
    def shape(n, d):
        return (N, n, d) if batch_first else (n, N, d)

    return [rng.standard_normal(shape(L, E)), rng.standard_normal(shape(S, kdim)),
            rng.standard_normal(shape(S, vdim))]  # fmt: skip


def _masks(rng):
    kpm = rng.random((N, S)) < 0.4
    kpm[:, 0] = False  # no fully masked row: PyTorch and minitorch would both give NaN there
    am = rng.random((L, S)) < 0.4
    am[:, 0] = False
    return {
        "none": {},
        "key_padding_bool": {"key_padding_mask": kpm},
        "key_padding_float": {"key_padding_mask": np.where(kpm, -1e9, 0.0)},
        "attn_bool_2d": {"attn_mask": am},
        "attn_float_3d": {"attn_mask": rng.standard_normal((N * HEADS, L, S))},
        "both": {"attn_mask": am, "key_padding_mask": kpm},
        "per_head_weights": {"average_attn_weights": False, "key_padding_mask": kpm},
        "no_weights": {"need_weights": False},
    }


def _with(kwargs, device):
    """A call that converts NumPy masks to the right library's tensors."""

    def call(module, *inputs):
        kw = {}
        for k, v in kwargs.items():
            if isinstance(v, np.ndarray):
                if isinstance(module, nn.Module):
                    v = mt.tensor(v, device=device)
                else:
                    import torch

                    v = torch.tensor(v)
            kw[k] = v
        out, weights = module(*inputs, **kw)
        return out if weights is None else (out, weights)

    return call


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("kdim", [None, 6])
@pytest.mark.parametrize("masks", list(_masks(np.random.default_rng(0))))
def test_mha_matches_torch(torch, device, batch_first, kdim, masks):
    rng = np.random.default_rng(1)
    kw = dict(batch_first=batch_first, kdim=kdim, vdim=kdim)
    m, t = nn.MultiheadAttention(E, HEADS, **kw), torch.nn.MultiheadAttention(E, HEADS, **kw)
    inputs = _qkv(rng, batch_first, kdim or E, kdim or E)
    compare_with_torch(m, t, inputs, device=device, call=_with(_masks(rng)[masks], device))


def test_mha_self_attention_unbatched_and_no_bias_match_torch(torch, device, rng):
    m = nn.MultiheadAttention(E, HEADS, bias=False)
    t = torch.nn.MultiheadAttention(E, HEADS, bias=False)
    x = rng.standard_normal((L, E))
    compare_with_torch(m, t, [x], device=device, call=lambda mod, x: mod(x, x, x))
    am = rng.random((HEADS, L, L)) < 0.3
    am[..., 0] = False
    masked = _with({"attn_mask": am}, device)
    compare_with_torch(m, t, [x], device=device, call=lambda mod, x: masked(mod, x, x, x))


def test_mha_parameters_and_init():
    m = nn.MultiheadAttention(E, HEADS)
    assert {k: tuple(v.shape) for k, v in m.state_dict().items()} == {
        "in_proj_weight": (3 * E, E), "in_proj_bias": (3 * E,),
        "out_proj.weight": (E, E), "out_proj.bias": (E,),
    }  # fmt: skip
    assert np.all(to_numpy(m.in_proj_bias) == 0) and np.all(to_numpy(m.out_proj.bias) == 0)
    bound = np.sqrt(6 / (4 * E))  # xavier_uniform on (3E, E)
    assert np.abs(to_numpy(m.in_proj_weight)).max() <= bound
    separate = nn.MultiheadAttention(E, HEADS, kdim=3, vdim=5)
    assert list(separate.state_dict()) == ["q_proj_weight", "k_proj_weight", "v_proj_weight",
                                           "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    assert separate.k_proj_weight.shape == (E, 3) and separate.in_proj_weight is None


def test_mha_gradcheck_with_dropout(rng):
    m = nn.MultiheadAttention(4, 2, dropout=0.3, batch_first=True)
    q, k, v = (rng.standard_normal((2, n, 4)) for n in (3, 4, 4))
    kpm = mt.tensor(np.array([[False, False, True, False], [False, True, False, False]]))

    def fn(q, k, v):
        out, w = m(q, k, v, key_padding_mask=kpm)
        return out, w

    m.double()
    qt, kt, vt = (mt.tensor(a, requires_grad=True) for a in (q, k, v))
    assert mt.gradcheck(fn, qt, kt, vt)

    class Wrap(nn.Module):
        def __init__(self):
            super().__init__()
            self.m = m

        def forward(self, q, k, v):
            return self.m(q, k, v, key_padding_mask=kpm)

    assert mt.gradcheck(Wrap(), q, k, v)


def test_mha_need_weights_and_eval_dropout(rng):
    m = nn.MultiheadAttention(E, HEADS, dropout=0.5)
    q = mt.tensor(rng.standard_normal((L, N, E)).astype(np.float32))
    out, w = m(q, q, q)
    assert w.shape == (N, L, L)
    assert m(q, q, q, need_weights=False)[1] is None
    m.eval()
    out1, w = m(q, q, q)
    np.testing.assert_allclose(to_numpy(w).sum(-1), 1, rtol=1e-5)
    np.testing.assert_array_equal(to_numpy(out1), to_numpy(m(q, q, q)[0]))


def test_mha_keeps_float32(device, rng):
    m = nn.MultiheadAttention(E, HEADS, batch_first=True)
    assert_keeps_float32(m, *_qkv(rng, True), device=device)


def test_mha_bad_inputs():
    with pytest.raises(ValueError, match="divisible by num_heads"):
        nn.MultiheadAttention(10, 3)
    m = nn.MultiheadAttention(E, HEADS)
    x = mt.randn(L, N, E)
    with pytest.raises(ValueError, match="expected key with last dim 8"):
        m(x, mt.randn(S, N, 6), mt.randn(S, N, 6))
    with pytest.raises(ValueError, match="attn_mask must have shape"):
        m(x, x, x, attn_mask=mt.zeros(3, 3))
    with pytest.raises(ValueError, match="key_padding_mask must have shape"):
        m(x, x, x, key_padding_mask=mt.zeros(N, 2))
    with pytest.raises(RuntimeError, match="is_causal"):
        m(x, x, x, is_causal=True)
    with pytest.raises(ValueError, match="all 3-D"):
        m(x, mt.randn(S, E), mt.randn(S, E))


@pytest.mark.parametrize("kwargs", [{}, {"is_causal": True}, {"scale": 0.3}, {"mask": "bool"},
                                    {"mask": "float"}])  # fmt: skip
def test_sdpa_matches_torch(torch, device, rng, kwargs):
    q, k, v = (rng.standard_normal(s) for s in ((2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7)))
    kwargs = dict(kwargs)
    mask = kwargs.pop("mask", None)
    inputs = [q, k, v]
    if mask == "float":
        inputs.append(rng.standard_normal((4, 6)))  # gets a gradient too
    elif mask == "bool":
        allowed = rng.random((4, 6)) < 0.6
        allowed[:, 0] = True

        def call(f, q, k, v):
            mine = f is F.scaled_dot_product_attention
            m = mt.tensor(allowed, device=device) if mine else torch.tensor(allowed)
            return f(q, k, v, m)

    if mask != "bool":
        def call(f, *a):
            return f(*a, **kwargs)

    compare_with_torch(F.scaled_dot_product_attention,
                       torch.nn.functional.scaled_dot_product_attention, inputs, device=device,
                       call=call)  # fmt: skip


def test_sdpa_gradcheck_and_float32(rng):
    q, k, v = (rng.standard_normal(s) for s in ((2, 3, 4), (2, 5, 4), (2, 5, 3)))
    mask = rng.standard_normal((1, 3, 5))

    def fn(q, k, v, m):
        return F.scaled_dot_product_attention(q, k, v, m, dropout_p=0.4)

    assert mt.gradcheck(fn, q, k, v, mask)
    out = F.scaled_dot_product_attention(*(mt.tensor(a.astype(np.float32)) for a in (q, k, v)))
    assert out.dtype == mt.float32 and out.shape == (2, 3, 3)
    with pytest.raises(ValueError, match="scaled_dot_product_attention expects"):
        F.scaled_dot_product_attention(mt.tensor(q), mt.tensor(k), mt.tensor(v[:, :4]))


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
def test_encoder_layer_matches_torch(torch, device, rng, norm_first, batch_first, activation):
    kw = dict(dropout=0.0, batch_first=batch_first, norm_first=norm_first, activation=activation)
    m = nn.TransformerEncoderLayer(E, HEADS, 16, **kw)
    t = torch.nn.TransformerEncoderLayer(E, HEADS, 16, **kw)
    t.eval()  # torch's fast path is used in eval only with grad disabled, so this is the math path
    x = rng.standard_normal((N, L, E) if batch_first else (L, N, E))
    compare_with_torch(m, t, [x], device=device)
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    compare_with_torch(m, t, [x], device=device,
                       call=lambda mod, x: _src_mask(mod, x, causal, device))  # fmt: skip


def _src_mask(module, x, mask, device):
    if isinstance(module, nn.Module):
        return module(x, src_mask=mt.tensor(mask, device=device), is_causal=True)
    import torch

    return module(x, src_mask=torch.tensor(mask), is_causal=True)


def test_encoder_layer_gradcheck_float32_and_bad_input(rng):
    m = nn.TransformerEncoderLayer(4, 2, 6, dropout=0.2, batch_first=True)
    assert mt.gradcheck(m, rng.standard_normal((2, 3, 4)))
    assert_keeps_float32(m, rng.standard_normal((2, 3, 4)))
    with pytest.raises(ValueError, match="activation"):
        nn.TransformerEncoderLayer(4, 2, activation="tanh")
    with pytest.raises(ValueError, match="last dim 4"):
        m(mt.randn(2, 3, 5))
