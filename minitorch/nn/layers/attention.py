"""``MultiheadAttention``: projections, heads and PyTorch's masks around the fused attention
kernel (``AttentionFunction`` in ``nn/functions/attention.py``, which is also
``F.scaled_dot_product_attention``).
"""

from __future__ import annotations

from typing import Any

from minitorch.autograd import Tensor
from minitorch.backend import Array, get_backend
from minitorch.nn import init
from minitorch.nn.functions.attention import AttentionFunction, additive_mask
from minitorch.nn.input_checks import check_module_inputs
from minitorch.nn.layers.linear import Linear
from minitorch.nn.module import Module
from minitorch.nn.parameter import Parameter, empty_param


def _as_additive(mask: Array, dtype: Any) -> Array:
    """MultiheadAttention's masks: bool (True = masked) as 0 / -inf; float ones as they are."""
    if mask.dtype == bool:
        return additive_mask(mask, dtype, masked_value=True)
    return mask.astype(dtype, copy=False)


def _linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    y = x @ weight.T
    return y if bias is None else y + bias


class MultiheadAttention(Module):
    """``MultiHead(q, k, v) = concat(head_1, ..., head_h) W_o``, ``head_i =
    softmax(q W_qi (k W_ki)^T / sqrt(E / h)) v W_vi``; PyTorch's parameters and masks.

    ``attn_output, attn_weights = mha(query, key, value, key_padding_mask=None,
    need_weights=True, attn_mask=None, average_attn_weights=True, is_causal=False)``.
    Boolean masks mark with True what may *not* be attended; float masks are added to scores.

    Shape: query (L, N, E) ((N, L, E) with ``batch_first``; unbatched (L, E)); key (S, N, kdim);
    value (S, N, vdim); key_padding_mask (N, S); attn_mask (L, S) or (N * num_heads, L, S)
    -> attn_output like query; attn_weights (N, L, S) ((N, num_heads, L, S) if not averaged).
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                "MultiheadAttention: embed_dim and num_heads must be > 0, got "
                f"{embed_dim} and {num_heads}"
            )
        if embed_dim % num_heads != 0:
            raise ValueError(
                f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible by num_heads "
                f"({num_heads}); each head gets embed_dim // num_heads features"
            )
        if add_bias_kv or add_zero_attn:
            raise ValueError("MultiheadAttention: add_bias_kv and add_zero_attn are not supported")
        if not 0 <= dropout <= 1:
            raise ValueError(f"MultiheadAttention: dropout must be in [0, 1], got {dropout}")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, float(dropout)
        self.head_dim = embed_dim // num_heads
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.batch_first = batch_first
        E = embed_dim
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(empty_param((3 * E, E), device, dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(empty_param((E, E), device, dtype))
            self.k_proj_weight = Parameter(empty_param((E, self.kdim), device, dtype))
            self.v_proj_weight = Parameter(empty_param((E, self.vdim), device, dtype))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty_param((3 * E,), device, dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(E, E, bias=bias, device=device, dtype=dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Xavier-uniform input projections and zero biases (``out_proj.weight`` as Linear's)."""
        # PyTorch: xavier_uniform_ in-projections, zero biases, out_proj keeps Linear's weight init
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            for w in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(w)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    def _projection_weights(self) -> tuple:
        E = self.embed_dim
        if self._qkv_same_embed_dim:
            W = self.in_proj_weight
            weights = (W[:E], W[E : 2 * E], W[2 * E :])
        else:
            weights = (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight)
        b = self.in_proj_bias
        biases = (None,) * 3 if b is None else (b[:E], b[E : 2 * E], b[2 * E :])
        return weights, biases

    def forward(self, query: Tensor, key: Tensor, value: Tensor,
                key_padding_mask: Any = None, need_weights: bool = True, attn_mask: Any = None,
                average_attn_weights: bool = True, is_causal: bool = False) -> tuple:  # fmt: skip
        batched = self._check_shapes(query, key, value)
        if not batched:  # as a batch of one, sequence first
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        batch_first = self.batch_first and batched
        seq_axis = 1 if batch_first else 0
        L, S, N = query.shape[seq_axis], key.shape[seq_axis], query.shape[1 - seq_axis]
        if is_causal and attn_mask is None:
            raise RuntimeError(
                "MultiheadAttention: is_causal=True is a hint that attn_mask is the causal mask; "
                "pass attn_mask too (e.g. an (L, L) bool mask, True above the diagonal)"
            )
        backend = get_backend(query.array)
        mask = self._merged_mask(attn_mask, key_padding_mask, backend, query.dtype, N, L, S,
                                 batched)  # fmt: skip
        h, d = self.num_heads, self.head_dim
        # (L, N, E) -> (N, h, L, d), or from (N, L, E) with batch_first
        to_heads = (0, 2, 1, 3) if batch_first else (1, 2, 0, 3)
        if query is key and key is value and self._qkv_same_embed_dim:
            # self-attention: one GEMM with the packed weight (as PyTorch), split afterwards
            projected = _linear(query, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        else:
            weights, biases = self._projection_weights()
            projected = [
                _linear(x, w, b) for x, w, b in zip((query, key, value), weights, biases)
            ]
        q, k, v = (p.reshape(*p.shape[:2], h, d).permute(*to_heads) for p in projected)
        dropout_p = self.dropout if self.training else 0.0
        attention = AttentionFunction(dropout_p, need_weights=need_weights)
        out = attention(q, k, v, mask)
        out, attn = out if need_weights else (out, None)
        from_heads = (0, 2, 1, 3) if batch_first else (2, 0, 1, 3)
        out = out.permute(*from_heads).reshape(query.shape[0], query.shape[1], self.embed_dim)
        out = self.out_proj(out)
        if attn is not None and average_attn_weights:
            attn = attn.mean(dim=1)
        if not batched:
            out = out.squeeze(1)
            attn = None if attn is None else attn.squeeze(0)
        return out, attn

    def _check_shapes(self, query: Tensor, key: Tensor, value: Tensor) -> bool:
        dtype = (self.in_proj_weight if self._qkv_same_embed_dim else self.q_proj_weight).dtype
        check_module_inputs("MultiheadAttention", {"query": query, "key": key, "value": value},
                            dtype)  # fmt: skip
        if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
            raise ValueError(
                "MultiheadAttention expects query, key and value all 3-D (batched) or all 2-D "
                f"(unbatched), got shapes {tuple(query.shape)}, {tuple(key.shape)}, "
                f"{tuple(value.shape)}"
            )
        for name, x, size in (("query", query, self.embed_dim), ("key", key, self.kdim),
                              ("value", value, self.vdim)):  # fmt: skip
            if x.shape[-1] != size:
                raise ValueError(
                    f"MultiheadAttention(embed_dim={self.embed_dim}): expected {name} with last "
                    f"dim {size}, got shape {tuple(x.shape)}"
                )
        if key.shape[:-1] != value.shape[:-1]:
            raise ValueError(
                f"MultiheadAttention: key {tuple(key.shape)} and value {tuple(value.shape)} must "
                "agree in all but the last dim"
            )
        batch_axis = 0 if self.batch_first else 1
        if query.ndim == 3 and query.shape[batch_axis] != key.shape[batch_axis]:
            raise ValueError(
                f"MultiheadAttention: query batch {query.shape[batch_axis]} and key batch "
                f"{key.shape[batch_axis]} differ"
            )
        return query.ndim == 3

    def _merged_mask(self, attn_mask: Any, key_padding_mask: Any, backend: Any, dtype: Any,
                     N: int, L: int, S: int, batched: bool) -> Array | None:  # fmt: skip
        """attn_mask and key_padding_mask as one additive array broadcastable to (N, h, L, S)."""
        merged = None
        if attn_mask is not None:
            m = backend.asarray(attn_mask.array if isinstance(attn_mask, Tensor) else attn_mask)
            m = _as_additive(m, dtype)
            heads = (N if batched else 1) * self.num_heads
            if m.shape == (L, S):
                merged = m
            elif m.ndim == 3 and m.shape == (heads, L, S):
                merged = m.reshape(N, self.num_heads, L, S)
            else:
                raise ValueError(
                    f"MultiheadAttention: attn_mask must have shape ({L}, {S}) or "
                    f"({heads}, {L}, {S}) (batch * num_heads, L, S), got {tuple(m.shape)}"
                )
        if key_padding_mask is not None:
            m = (
                key_padding_mask.array
                if isinstance(key_padding_mask, Tensor)
                else key_padding_mask
            )
            m = backend.asarray(m)
            want = (N, S) if batched else (S,)
            if m.shape != want:
                raise ValueError(
                    f"MultiheadAttention: key_padding_mask must have shape {want}, got "
                    f"{tuple(m.shape)}"
                )
            m = _as_additive(m, dtype)
            m = m.reshape(N, 1, 1, S)
            merged = m if merged is None else merged + m
        return merged

    def extra_repr(self) -> str:
        return (f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, "
                f"dropout={self.dropout}, batch_first={self.batch_first}")  # fmt: skip
