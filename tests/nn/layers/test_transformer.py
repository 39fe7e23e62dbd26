"""TransformerDecoderLayer, TransformerEncoder/Decoder and Transformer against PyTorch: masks,
norm placement, batch layout, state-dict keys, initialisation and the causal mask helper."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch as mt
from minitorch import nn
from tests.helpers import compare_with_torch, to_numpy

E, HEADS, FF, N, S, T = 8, 2, 16, 3, 5, 4


def _lib(module):
    if isinstance(module, nn.Module):
        return mt
    import torch

    return torch


def _masks(rng):
    """A causal tgt mask and key padding masks with no fully masked row (NaN in both)."""
    causal = np.triu(np.ones((T, T), dtype=bool), 1)
    src_kpm = rng.random((N, S)) < 0.3
    src_kpm[:, 0] = False
    tgt_kpm = rng.random((N, T)) < 0.3
    tgt_kpm[:, 0] = False
    return causal, src_kpm, tgt_kpm


def _quiet_torch_transformer(torch, *args, **kwargs):
    with warnings.catch_warnings():  # torch: "enable_nested_tensor is True, but ..."
        warnings.filterwarnings("ignore", "enable_nested_tensor is True")
        return torch.nn.Transformer(*args, **kwargs)


def _sequences(rng, batch_first, *lengths):
    return [rng.standard_normal((N, n, E) if batch_first else (n, N, E)) for n in lengths]


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("mask_kind", ["bool", "float"])
def test_decoder_layer_with_causal_and_padding_masks_matches_torch(
    torch, device, rng, norm_first, batch_first, mask_kind
):
    kw = dict(dropout=0.0, batch_first=batch_first, norm_first=norm_first)
    m, t = (
        nn.TransformerDecoderLayer(E, HEADS, FF, **kw),
        torch.nn.TransformerDecoderLayer(E, HEADS, FF, **kw),
    )
    causal, src_kpm, tgt_kpm = _masks(rng)
    if mask_kind == "float":
        causal, src_kpm, tgt_kpm = (np.where(a, -np.inf, 0.0) for a in (causal, src_kpm, tgt_kpm))

    def call(module, tgt, memory):
        lib = _lib(module)
        return module(tgt, memory, tgt_mask=lib.tensor(causal),
                      tgt_key_padding_mask=lib.tensor(tgt_kpm),
                      memory_key_padding_mask=lib.tensor(src_kpm), tgt_is_causal=True)  # fmt: skip

    compare_with_torch(m, t, _sequences(rng, batch_first, T, S), device=device, call=call)


@pytest.mark.parametrize("activation", ["relu", "gelu", "callable"])
def test_decoder_layer_keywords_match_torch(torch, device, rng, activation):
    """activation (string or callable), layer_norm_eps, bias=False and a memory_mask."""
    kw = dict(dropout=0.0, layer_norm_eps=1e-3, bias=False)
    act = {"relu": "relu", "gelu": "gelu", "callable": nn.functional.silu}[activation]
    t_act = torch.nn.functional.silu if activation == "callable" else act
    m = nn.TransformerDecoderLayer(E, HEADS, FF, activation=act, **kw)
    t = torch.nn.TransformerDecoderLayer(E, HEADS, FF, activation=t_act, **kw)
    assert list(m.state_dict()) == list(t.state_dict())
    memory_mask = rng.standard_normal((T, S))

    def call(module, tgt, memory, mask):
        return module(tgt, memory, memory_mask=mask)

    inputs = _sequences(rng, False, T, S) + [memory_mask]
    compare_with_torch(m, t, inputs, device=device, grad_inputs=[0, 1], call=call)


def test_encoder_and_decoder_stacks_match_torch(torch, device, rng):
    causal, src_kpm, tgt_kpm = _masks(rng)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, HEADS, FF, 0.0), 3,
                                norm=nn.LayerNorm(E))  # fmt: skip
    t_enc = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(E, HEADS, FF, 0.0), 3,
                                        norm=torch.nn.LayerNorm(E),
                                        enable_nested_tensor=False)  # fmt: skip
    src_mask = np.triu(np.ones((S, S), dtype=bool), 1)

    def encode(module, src):
        lib = _lib(module)
        return module(src, mask=lib.tensor(src_mask), src_key_padding_mask=lib.tensor(src_kpm))

    compare_with_torch(enc, t_enc, _sequences(rng, False, S), device=device, call=encode)
    dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(E, HEADS, FF, 0.0), 2)
    t_dec = torch.nn.TransformerDecoder(torch.nn.TransformerDecoderLayer(E, HEADS, FF, 0.0), 2)

    def decode(module, tgt, memory):
        lib = _lib(module)
        return module(tgt, memory, tgt_mask=lib.tensor(causal),
                      tgt_key_padding_mask=lib.tensor(tgt_kpm))  # fmt: skip

    compare_with_torch(dec, t_dec, _sequences(rng, False, T, S), device=device, call=decode)


def test_stacks_hold_independent_deep_copies():
    layer = nn.TransformerEncoderLayer(E, HEADS, FF)
    enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=True, mask_check=False)
    a, b = enc.layers[0].linear1.weight, enc.layers[1].linear1.weight
    assert a is not b and a is not layer.linear1.weight
    np.testing.assert_array_equal(to_numpy(a), to_numpy(b))  # copies: equal at first
    assert enc.norm is None and enc.num_layers == 2 and not enc.use_nested_tensor
    assert list(enc.state_dict())[:2] == ["layers.0.self_attn.in_proj_weight",
                                          "layers.0.self_attn.in_proj_bias"]  # fmt: skip
    with pytest.raises(TypeError, match="TransformerDecoder: expected a layer Module"):
        nn.TransformerDecoder("layer", 2)
    with pytest.raises(ValueError, match="TransformerEncoder: num_layers must be an integer"):
        nn.TransformerEncoder(layer, -1)


# a float causal mask beside bool padding masks, as PyTorch's tutorials pass them (torch warns)
@pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask:UserWarning")
@pytest.mark.parametrize("batch_first,norm_first", [(False, False), (True, True)])
def test_transformer_forward_and_backward_match_torch(torch, device, rng, batch_first,
                                                      norm_first):  # fmt: skip
    kw = dict(dim_feedforward=FF, dropout=0.0, batch_first=batch_first, norm_first=norm_first)
    m = nn.Transformer(E, HEADS, 2, 2, **kw)
    t = _quiet_torch_transformer(torch, E, HEADS, 2, 2, **kw)
    assert list(m.state_dict()) == list(t.state_dict())
    assert "decoder.layers.1.multihead_attn.out_proj.weight" in m.state_dict()
    causal, src_kpm, tgt_kpm = _masks(rng)
    tgt_mask = to_numpy(nn.Transformer.generate_square_subsequent_mask(T, dtype=mt.float64))

    def call(module, src, tgt):
        lib = _lib(module)
        return module(src, tgt, tgt_mask=lib.tensor(tgt_mask),
                      src_key_padding_mask=lib.tensor(src_kpm),
                      tgt_key_padding_mask=lib.tensor(tgt_kpm),
                      memory_key_padding_mask=lib.tensor(src_kpm))  # fmt: skip

    sequences = _sequences(rng, batch_first, S, T)
    compare_with_torch(m, t, sequences, device=device, call=call, atol=1e-10)
    compare_with_torch(m, t, [s[0] if batch_first else s[:, 0] for s in sequences],
                       device=device, atol=1e-10)  # unbatched, no masks  # fmt: skip


def test_transformer_init_custom_parts_and_errors():
    mt.manual_seed(0)
    model = nn.Transformer(E, HEADS, 2, 1, FF)
    for name, p in model.named_parameters():
        if p.ndim > 1:  # xavier-uniform, drawn after the layers were copied
            bound = np.sqrt(6 / (p.shape[0] + p.shape[1]))
            assert np.abs(to_numpy(p)).max() <= bound, name
    first, second = (model.encoder.layers[i].linear1.weight for i in (0, 1))
    assert not np.array_equal(to_numpy(first), to_numpy(second))
    encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(E, HEADS, FF), 1)
    custom = nn.Transformer(E, HEADS, custom_encoder=encoder, num_decoder_layers=1,
                            dim_feedforward=FF)  # fmt: skip
    assert custom.encoder is encoder and custom.encoder.norm is None
    src, tgt = mt.randn(S, N, E), mt.randn(T, N, E)
    assert custom(src, tgt).shape == (T, N, E)
    with pytest.raises(RuntimeError, match="Transformer: the batch number of src and tgt"):
        model(src, mt.randn(T, N + 1, E))
    with pytest.raises(RuntimeError, match="Transformer: the feature number of src and tgt"):
        model(src, mt.randn(T, N, E + 1))
    with pytest.raises(ValueError, match="TransformerDecoderLayer: activation must be"):
        nn.TransformerDecoderLayer(E, HEADS, activation="tanh")
    with pytest.raises(RuntimeError, match="is_causal=True is a hint"):
        model.decoder(tgt, src, tgt_is_causal=True)  # a hint without the mask, as torch


@pytest.mark.parametrize("dtype", [None, "float64"])
def test_generate_square_subsequent_mask_equals_torch(torch, dtype):
    ours = nn.Transformer.generate_square_subsequent_mask(5, dtype=getattr(mt, dtype or "", None))
    # (the torch fixture makes float64 torch's default; float32 is the default outside it)
    theirs = torch.nn.Transformer.generate_square_subsequent_mask(
        5, dtype=getattr(torch, dtype or "float32")
    )
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(to_numpy(ours), theirs.numpy())
    assert to_numpy(ours)[0, 1] == -np.inf and to_numpy(ours)[1, 0] == 0


def test_float32_training_step_stays_float32(rng):
    model = nn.Transformer(E, HEADS, 1, 1, FF, dropout=0.1)
    src = mt.tensor(rng.standard_normal((S, N, E)).astype(np.float32))
    tgt = mt.tensor(rng.standard_normal((T, N, E)).astype(np.float32), requires_grad=True)
    mask = nn.Transformer.generate_square_subsequent_mask(T)
    out = model(src, tgt, tgt_mask=mask, tgt_is_causal=True)
    out.sum().backward()
    assert out.dtype == tgt.grad.dtype == mt.float32
    assert all(p.grad is not None and p.grad.dtype == mt.float32 for p in model.parameters())


def test_encoder_layer_keywords_and_padding_mask_match_torch(torch, device, rng):
    """A callable activation, bias=False, layer_norm_eps and src_key_padding_mask (unbatched)."""
    kw = dict(dropout=0.0, layer_norm_eps=1e-4, bias=False, norm_first=True)
    m = nn.TransformerEncoderLayer(E, HEADS, FF, activation=nn.functional.silu, **kw)
    t = torch.nn.TransformerEncoderLayer(E, HEADS, FF, activation=torch.nn.functional.silu, **kw)
    assert list(m.state_dict()) == list(t.state_dict())
    kpm = np.array([False, False, True, False, True])

    def call(module, src):
        return module(src, src_key_padding_mask=_lib(module).tensor(kpm))

    compare_with_torch(m, t, [rng.standard_normal((S, E))], device=device, call=call)


def test_dtype_keyword_builds_every_parameter_in_that_dtype():
    model = nn.Transformer(E, HEADS, 1, 1, FF, dtype=mt.float64)
    assert {p.dtype for p in model.parameters()} == {mt.float64}
    layer = nn.TransformerDecoderLayer(E, HEADS, FF, device="cpu", dtype=mt.float64)
    assert {p.dtype for p in layer.parameters()} == {mt.float64}
