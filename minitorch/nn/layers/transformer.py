"""``TransformerEncoderLayer``: self-attention and a feed-forward block, each with a residual
connection and LayerNorm, composed from the catalogue (autograd derives its backward)."""

from __future__ import annotations

from typing import Any, Callable

from minitorch.autograd import Tensor
from minitorch.nn.layers.activation import GELU, ReLU
from minitorch.nn.layers.attention import MultiheadAttention
from minitorch.nn.layers.dropout import Dropout
from minitorch.nn.layers.linear import Linear
from minitorch.nn.layers.normalization import LayerNorm
from minitorch.nn.module import Module


class TransformerEncoderLayer(Module):
    """Post-norm (default): ``x = norm1(x + sa(x)); x = norm2(x + ff(x))``; with ``norm_first``:
    ``x = x + sa(norm1(x)); x = x + ff(norm2(x))``; ``ff(x) = linear2(dropout(act(linear1(x))))``.

    Shape: src (S, N, d_model) ((N, S, d_model) with ``batch_first``; unbatched (S, d_model))
    -> same.
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation: str | Callable = "relu",
                 layer_norm_eps: float = 1e-5, batch_first: bool = False, norm_first: bool = False,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        kw = {"device": device, "dtype": dtype}
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                            batch_first=batch_first, **kw)  # fmt: skip
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1, self.dropout2 = Dropout(dropout), Dropout(dropout)
        if isinstance(activation, str):
            if activation not in ("relu", "gelu"):
                raise ValueError(
                    f"TransformerEncoderLayer: activation must be 'relu', 'gelu' or a callable, "
                    f"got {activation!r}"
                )
            activation = ReLU() if activation == "relu" else GELU()
        elif not callable(activation):
            raise TypeError(
                "TransformerEncoderLayer: activation must be 'relu', 'gelu' or a callable, "
                f"got {activation!r}"
            )
        self.activation = activation

    def forward(self, src: Tensor, src_mask: Any = None, src_key_padding_mask: Any = None,
                is_causal: bool = False) -> Tensor:  # fmt: skip
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x: Tensor, attn_mask: Any, key_padding_mask: Any,
                  is_causal: bool) -> Tensor:  # fmt: skip
        x = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                           need_weights=False, is_causal=is_causal)[0]  # fmt: skip
        return self.dropout1(x)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))
