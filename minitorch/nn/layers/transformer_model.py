"""``Transformer``: the encoder-decoder model of "Attention Is All You Need", PyTorch's
``nn.Transformer`` (same modules and names, so state dicts copy across both ways)."""

from __future__ import annotations

import math
from typing import Any, Callable

from minitorch.autograd import Tensor
from minitorch.backend import backend_for, dtypes
from minitorch.nn import init
from minitorch.nn.input_checks import refuse_lists
from minitorch.nn.layers.normalization import LayerNorm
from minitorch.nn.layers.transformer import TransformerDecoderLayer, TransformerEncoderLayer
from minitorch.nn.layers.transformer_stack import TransformerDecoder, TransformerEncoder
from minitorch.nn.module import Module


class Transformer(Module):
    """``memory = encoder(src)``; ``output = decoder(tgt, memory)``: ``num_encoder_layers``
    encoder layers and ``num_decoder_layers`` decoder layers, each stack ending in a LayerNorm
    (or ``custom_encoder`` / ``custom_decoder``). Every weight matrix (ndim > 1) starts
    xavier-uniform, as PyTorch.

    ``forward(src, tgt, src_mask=None, tgt_mask=None, memory_mask=None,
    src_key_padding_mask=None, tgt_key_padding_mask=None, memory_key_padding_mask=None,
    src_is_causal=None, tgt_is_causal=None, memory_is_causal=False)``; masks as in
    ``MultiheadAttention`` (bool True = masked out, float added).

    Shape: src (S, N, E), tgt (T, N, E) ((N, S, E), (N, T, E) with ``batch_first``; unbatched
    (S, E), (T, E)); src_mask (S, S); tgt_mask (T, T); memory_mask (T, S);
    src_key_padding_mask (N, S); tgt_key_padding_mask (N, T); memory_key_padding_mask (N, S)
    -> output (T, N, E) (like tgt).
    """

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6,
                 num_decoder_layers: int = 6, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: str | Callable = "relu", custom_encoder: Module | None = None,
                 custom_decoder: Module | None = None, layer_norm_eps: float = 1e-5,
                 batch_first: bool = False, norm_first: bool = False, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        layer_args = (d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps,
                      batch_first, norm_first, bias, device, dtype)  # fmt: skip
        norm_kw = {"eps": layer_norm_eps, "bias": bias, "device": device, "dtype": dtype}
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(
                TransformerEncoderLayer(*layer_args),
                num_encoder_layers,
                LayerNorm(d_model, **norm_kw),
            )
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(
                TransformerDecoderLayer(*layer_args),
                num_decoder_layers,
                LayerNorm(d_model, **norm_kw),
            )
        self._reset_parameters()
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first

    def _reset_parameters(self) -> None:
        # PyTorch: after the layers are copied, every matrix is drawn afresh (so copies differ)
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p)

    def forward(self, src: Tensor, tgt: Tensor, src_mask: Any = None, tgt_mask: Any = None,
                memory_mask: Any = None, src_key_padding_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None,
                src_is_causal: bool | None = None, tgt_is_causal: bool | None = None,
                memory_is_causal: bool = False) -> Tensor:  # fmt: skip
        refuse_lists("Transformer", (src, tgt))
        batch_axis = 0 if self.batch_first else 1
        if src.ndim == 3 and (tgt.ndim != 3 or src.shape[batch_axis] != tgt.shape[batch_axis]):
            raise RuntimeError(
                f"Transformer: the batch number of src and tgt must be equal, got src "
                f"{tuple(src.shape)} and tgt {tuple(tgt.shape)} (batch_first={self.batch_first})"
            )
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(
                f"Transformer: the feature number of src and tgt must be equal to d_model="
                f"{self.d_model}, got src {tuple(src.shape)} and tgt {tuple(tgt.shape)}"
            )
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask,
                              is_causal=src_is_causal)  # fmt: skip
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask,
                            tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)  # fmt: skip

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        """The causal mask: 0 on and below the diagonal, -inf above (position i sees 0..i).

        Shape: (sz, sz), float (the default dtype unless ``dtype``).
        """
        dtype = dtypes.get_default_dtype() if dtype is None else dtypes.as_dtype(dtype)
        xp = backend_for(device).xp
        mask = xp.zeros((sz, sz), dtype=dtype)
        mask[xp.triu(xp.ones((sz, sz), dtype=bool), 1)] = -math.inf
        return Tensor(mask)
