"""``TransformerEncoder`` and ``TransformerDecoder``: ``num_layers`` deep copies of one layer
applied in turn, then an optional final norm, as PyTorch's (same attribute names, so the
state-dict keys are ``layers.0.self_attn.in_proj_weight``, ..., ``norm.weight``)."""

from __future__ import annotations

import copy
from typing import Any

from minitorch.autograd import Tensor
from minitorch.nn.containers import ModuleList
from minitorch.nn.module import Module


def clones(layer: Module, num_layers: int, owner: str) -> ModuleList:
    """``num_layers`` independent deep copies of ``layer`` (the layer itself is not used)."""
    if not isinstance(layer, Module):
        raise TypeError(f"{owner}: expected a layer Module to copy, got {type(layer).__name__}")
    if not isinstance(num_layers, int) or isinstance(num_layers, bool) or num_layers < 0:
        raise ValueError(f"{owner}: num_layers must be an integer >= 0, got {num_layers!r}")
    return ModuleList([copy.deepcopy(layer) for _ in range(num_layers)])


def _hint(is_causal: bool | None) -> bool:
    """PyTorch detects a causal mask when the hint is None; minitorch always applies the mask
    as given, so the detected hint would change nothing and None reads as False."""
    return bool(is_causal)


class TransformerEncoder(Module):
    """``x = layers[i](x, src_mask=mask, src_key_padding_mask=..., is_causal=...)`` for each of
    ``num_layers`` copies of ``encoder_layer``, then ``norm(x)`` if a norm is given.

    ``enable_nested_tensor`` and ``mask_check`` are accepted and kept (PyTorch's fast inference
    path packs padded batches into nested tensors); minitorch has no nested tensors, so they
    change nothing: padded positions are masked as usual.

    Shape: src (S, N, E) ((N, S, E) with a ``batch_first`` layer; unbatched (S, E)); mask
    (S, S) or (N * nhead, S, S); src_key_padding_mask (N, S) -> like src.
    """

    def __init__(self, encoder_layer: Module, num_layers: int, norm: Module | None = None,
                 enable_nested_tensor: bool = True, mask_check: bool = True) -> None:  # fmt: skip
        super().__init__()
        self.layers = clones(encoder_layer, num_layers, "TransformerEncoder")
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = False  # no nested tensors in minitorch (see the docstring)
        self.mask_check = mask_check

    def forward(self, src: Tensor, mask: Any = None, src_key_padding_mask: Any = None,
                is_causal: bool | None = None) -> Tensor:  # fmt: skip
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask,
                      is_causal=_hint(is_causal))  # fmt: skip
        return x if self.norm is None else self.norm(x)


class TransformerDecoder(Module):
    """``x = layers[i](x, memory, tgt_mask=..., memory_mask=..., ...)`` for each of
    ``num_layers`` copies of ``decoder_layer``, then ``norm(x)`` if a norm is given.

    Shape: tgt (T, N, E) ((N, T, E) with a ``batch_first`` layer; unbatched (T, E)); memory
    (S, N, E); tgt_mask (T, T); memory_mask (T, S); tgt_key_padding_mask (N, T);
    memory_key_padding_mask (N, S) -> like tgt.
    """

    def __init__(self, decoder_layer: Module, num_layers: int,
                 norm: Module | None = None) -> None:  # fmt: skip
        super().__init__()
        self.layers = clones(decoder_layer, num_layers, "TransformerDecoder")
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Any = None, memory_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None,
                tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:  # fmt: skip
        x = tgt
        for layer in self.layers:
            x = layer(x, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                      tgt_key_padding_mask=tgt_key_padding_mask,
                      memory_key_padding_mask=memory_key_padding_mask,
                      tgt_is_causal=_hint(tgt_is_causal),
                      memory_is_causal=memory_is_causal)  # fmt: skip
        return x if self.norm is None else self.norm(x)
