"""What is benchmarked: model and layer configurations, the fixed batch, the shared init.

NumPy only, so every contender process (and the floor) builds exactly the same batch and the
same starting weights from a spec and a seed. Specs are plain dicts: they travel to the worker
processes as JSON.
"""

import math
import zlib

import numpy as np


def _mlp(batch: int, optimizer: str) -> dict:
    opt = {"lr": 0.01, "momentum": 0.9} if optimizer == "sgd" else {"lr": 1e-3}
    return {
        "family": "mlp",
        "batch": batch,
        "sizes": [784, 512, 512, 10],
        "optimizer": optimizer,
        **opt,
    }


MODELS = {
    "mlp_sgd_b32": _mlp(32, "sgd"),
    "mlp_sgd_b128": _mlp(128, "sgd"),
    "mlp_sgd_b1024": _mlp(1024, "sgd"),
    "mlp_adam_b128": _mlp(128, "adam"),
    "mlp_adam_b1024": _mlp(1024, "adam"),
    "lenet_b64": {
        "family": "lenet",
        "batch": 64,
        "image": 28,
        "channels": [1, 16, 32],
        "hidden": 128,
        "classes": 10,
        "optimizer": "sgd",
        "lr": 0.01,
        "momentum": 0.9,
    },
    "lstm": {
        "family": "lstm",
        "batch": 64,
        "seq": 32,
        "input": 128,
        "hidden": 256,
        "classes": 10,
        "optimizer": "adam",
        "lr": 1e-3,
    },
    "transformer": {
        "family": "transformer",
        "batch": 32,
        "seq": 128,
        "d_model": 256,
        "heads": 4,
        "ffn": 1024,
        "classes": 10,
        "optimizer": "adam",
        "lr": 1e-3,
    },
}

# One tiny model per family for the smoke test (--tiny): every code path, no real work.
TINY_MODELS = {
    "mlp_sgd_tiny": {**_mlp(8, "sgd"), "sizes": [32, 16, 16, 10]},
    "mlp_adam_tiny": {**_mlp(8, "adam"), "sizes": [32, 16, 16, 10]},
    "lenet_tiny": {
        **MODELS["lenet_b64"],
        "batch": 2,
        "image": 12,
        "channels": [1, 4, 8],
        "hidden": 16,
    },
    "lstm_tiny": {**MODELS["lstm"], "batch": 2, "seq": 4, "input": 8, "hidden": 16},
    "transformer_tiny": {
        **MODELS["transformer"],
        "batch": 2,
        "seq": 8,
        "d_model": 16,
        "heads": 2,
        "ffn": 32,
    },
}

# Per-layer micro-benchmarks: forward + backward of one layer at a typical size.
LAYERS = {
    "Linear": {"args": [512, 512], "input": [128, 512]},
    "Conv2d": {"args": [16, 32, 5], "kwargs": {"padding": 2}, "input": [64, 16, 14, 14]},
    "MaxPool2d": {"args": [2], "input": [64, 16, 28, 28]},
    "ReLU": {"args": [], "input": [64, 16, 28, 28]},
    "BatchNorm2d": {"args": [16], "input": [64, 16, 28, 28]},
    "LayerNorm": {"args": [256], "input": [32, 128, 256]},
    "Embedding": {"args": [10000, 256], "indices": [32, 128]},
    "LSTM": {"args": [128, 256], "kwargs": {"batch_first": True}, "input": [64, 32, 128]},
    "MultiheadAttention": {
        "args": [256, 4],
        "kwargs": {"batch_first": True},
        "input": [32, 128, 256],
    },
    "CrossEntropyLoss": {"args": [], "logits": [4096, 10]},
}

TINY_LAYERS = {
    "Linear": {"args": [8, 4], "input": [2, 8]},
    "ReLU": {"args": [], "input": [2, 8]},
    "MultiheadAttention": {"args": [8, 2], "kwargs": {"batch_first": True}, "input": [2, 4, 8]},
}


def model_batch(spec: dict, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The fixed float32 batch and int64 targets the model trains on, step after step.

    Shape: mlp (N, sizes[0]); lenet (N, C, image, image); lstm (N, seq, input);
    transformer (N, seq, d_model) with targets flattened to (N * seq,) for per-token logits.
    """
    rng = np.random.default_rng(seed)
    family, n = spec["family"], spec["batch"]
    classes = spec.get("classes", spec.get("sizes", [10])[-1])
    if family == "mlp":
        shape, targets = (n, spec["sizes"][0]), n
    elif family == "lenet":
        shape, targets = (n, spec["channels"][0], spec["image"], spec["image"]), n
    elif family == "lstm":
        shape, targets = (n, spec["seq"], spec["input"]), n
    elif family == "transformer":
        shape, targets = (n, spec["seq"], spec["d_model"]), n * spec["seq"]
    else:
        raise ValueError(f"model_batch: unknown family {family!r}")
    x = rng.standard_normal(shape, dtype=np.float32)
    return x, rng.integers(0, classes, targets).astype(np.int64)


def layer_inputs(spec: dict, seed: int = 0) -> dict[str, np.ndarray]:
    """Inputs of one layer micro-benchmark: ``x`` (float32) or ``indices`` or ``logits`` and
    ``target``, all fixed for the run."""
    rng = np.random.default_rng(seed)
    if "indices" in spec:
        return {"indices": rng.integers(0, spec["args"][0], spec["indices"]).astype(np.int64)}
    if "logits" in spec:
        n, c = spec["logits"]
        logits = rng.standard_normal((n, c), dtype=np.float32)
        return {"logits": logits, "target": rng.integers(0, c, n).astype(np.int64)}
    return {"x": rng.standard_normal(spec["input"], dtype=np.float32)}


def shared_init(named_shapes: list[tuple[str, tuple[int, ...]]], seed: int = 0) -> dict:
    """Starting weights keyed like a PyTorch state dict, the same for every contender.

    Matrices and their biases ~ U(-1/sqrt(fan_in), +) (PyTorch's Linear/Conv default); a 1-D
    ``weight`` beside no matrix is a norm scale (ones) and its ``bias`` zeros. Each tensor is
    drawn from its own seed derived from its name, so the result does not depend on order.
    With the same weights and batch, every contender should report the same loss.
    """
    shapes = dict(named_shapes)
    out = {}
    for name, shape in named_shapes:
        prefix, _, leaf = name.rpartition(".")
        weight = shapes.get(f"{prefix}.{leaf.replace('bias', 'weight')}".lstrip("."), shape)
        if len(weight) < 2:  # a normalisation layer
            value = np.ones(shape) if "weight" in leaf else np.zeros(shape)
        else:
            rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
            bound = 1.0 / math.sqrt(math.prod(weight[1:]))
            value = rng.uniform(-bound, bound, shape)
        out[name] = value.astype(np.float32)
    return out
