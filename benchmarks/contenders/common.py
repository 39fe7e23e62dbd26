"""Models, layer benchmarks and the timed step, written once for any PyTorch-like library.

``lib`` is ``torch`` or ``minitorch``: both are used through the same public API (``lib.nn``,
``lib.optim``), so the two contenders run the same architecture by construction. ``tensor``
turns a NumPy array into one of ``lib``'s tensors on the benchmark device.
"""

import inspect
import math

import numpy as np

from benchmarks.specs import layer_inputs, model_batch, shared_init


class TrainStep:
    """One training step on a fixed batch, split into the phases the harness times."""

    def __init__(self, model, criterion, optimizer, x, target, sync):
        self.model, self.criterion, self.optimizer = model, criterion, optimizer
        self.x, self.target, self.sync = x, target, sync

    def zero_grad(self):
        self.model.zero_grad()

    def forward(self):
        self.loss = self.criterion(self.model(self.x), self.target)

    def backward(self):
        self.loss.backward()

    def step(self):
        self.optimizer.step()

    def loss_value(self) -> float:
        return float(self.loss.item())


class LayerStep:
    """Forward and backward of one layer; ``step`` is empty (no optimizer)."""

    def __init__(self, layer, call, inputs, grad_output, sync):
        self.layer, self.call, self.inputs = layer, call, inputs
        self.grad_output, self.sync = grad_output, sync

    def zero_grad(self):
        self.layer.zero_grad()
        for x in self.inputs:
            x.grad = None

    def forward(self):
        self.y = self.call()

    def backward(self):
        if self.grad_output is None:
            self.y.backward()
        else:
            self.y.backward(self.grad_output)

    def step(self):
        pass

    def loss_value(self) -> float:
        return float("nan")


def build_model(lib, spec: dict):
    """The benchmark network for ``spec`` on ``lib``; returns (module, impl description).

    Its forward maps the batch of ``model_batch`` to (N, classes) logits.
    """
    nn, family = lib.nn, spec["family"]
    if family == "mlp":
        layers = []
        for fan_in, fan_out in zip(spec["sizes"][:-1], spec["sizes"][1:]):
            layers += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        return nn.Sequential(*layers[:-1]), "Sequential(Linear, ReLU, ...)"
    if family == "lenet":
        c0, c1, c2 = spec["channels"]
        flat = c2 * (spec["image"] // 4) ** 2
        model = nn.Sequential(
            nn.Conv2d(c0, c1, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(flat, spec["hidden"]),
            nn.ReLU(),
            nn.Linear(spec["hidden"], spec["classes"]),
        )
        return model, "Sequential(Conv2d, ReLU, MaxPool2d, ...)"
    if family == "lstm":
        return _lstm_classifier(nn, spec), "LSTM(batch_first=True) + Linear on the last step"
    if family == "transformer":
        return _transformer(nn, spec)
    raise ValueError(f"build_model: unknown family {family!r}")


def _lstm_classifier(nn, spec):
    class LSTMClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(spec["input"], spec["hidden"], batch_first=True)
            self.head = nn.Linear(spec["hidden"], spec["classes"])

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[:, -1])

    return LSTMClassifier()


def _transformer(nn, spec):
    d, heads, ffn, classes = spec["d_model"], spec["heads"], spec["ffn"], spec["classes"]
    if hasattr(nn, "TransformerEncoderLayer"):
        block = nn.TransformerEncoderLayer(d, heads, ffn, dropout=0.0, batch_first=True)
        impl = "TransformerEncoderLayer(dropout=0, batch_first=True) + Linear"
    else:
        block = _encoder_block(nn, d, heads, ffn)
        impl = "post-norm block of MultiheadAttention, LayerNorm, Linear + Linear"

    class Transformer(nn.Module):
        def __init__(self):
            super().__init__()
            self.block = block
            self.head = nn.Linear(d, classes)

        def forward(self, x):
            return self.head(self.block(x)).reshape(-1, classes)

    return Transformer(), impl


def _encoder_block(nn, d, heads, ffn):
    """TransformerEncoderLayer's post-norm block (ReLU, no dropout) from smaller layers; the
    attribute names match it, so the state-dict keys do too."""
    attention = nn.MultiheadAttention(d, heads, batch_first=True)
    takes_need_weights = "need_weights" in inspect.signature(attention.forward).parameters

    class EncoderBlock(nn.Module):
        def __init__(self):
            super().__init__()
            self.self_attn = attention
            self.linear1, self.linear2 = nn.Linear(d, ffn), nn.Linear(ffn, d)
            self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
            self.relu = nn.ReLU()

        def forward(self, x):
            kwargs = {"need_weights": False} if takes_need_weights else {}
            x = self.norm1(x + self.self_attn(x, x, x, **kwargs)[0])
            return self.norm2(x + self.linear2(self.relu(self.linear1(x))))

    return EncoderBlock()


def train_step(lib, spec: dict, tensor, to_device, sync, seed: int):
    """Model, loss, optimizer and batch for ``spec``, loaded with the shared initial weights.

    ``tensor(array)`` makes a tensor on the device, ``to_device(module)`` moves a module.
    Returns (TrainStep, info); info says how the model was built and initialised.
    """
    model, impl = build_model(lib, spec)
    model = to_device(model)
    init = _load_shared_init(model, tensor, seed)
    if spec["optimizer"] == "sgd":
        opt = lib.optim.SGD(model.parameters(), lr=spec["lr"], momentum=spec["momentum"])
    else:
        opt = lib.optim.Adam(model.parameters(), lr=spec["lr"])
    x, target = model_batch(spec, seed)
    step = TrainStep(model, lib.nn.CrossEntropyLoss(), opt, tensor(x), tensor(target), sync)
    n_params = sum(math.prod(p.shape) for p in model.parameters())
    return step, {"impl": impl, "init": init, "parameters": n_params}


def _load_shared_init(model, tensor, seed) -> str:
    try:
        state = model.state_dict()
        weights = shared_init([(k, tuple(v.shape)) for k, v in state.items()], seed)
        model.load_state_dict({k: tensor(v) for k, v in weights.items()})
    except Exception as error:  # noqa: BLE001 - the benchmark still runs on the library's init
        return f"own ({type(error).__name__}: {error})"[:200]
    return "shared"


def layer_step(lib, name: str, spec: dict, tensor, to_device, sync, seed: int):
    """Forward + backward of ``lib.nn.<name>`` at the size in ``spec``; (LayerStep, info)."""
    layer = to_device(getattr(lib.nn, name)(*spec["args"], **spec.get("kwargs", {})))
    arrays = layer_inputs(spec, seed)
    grad_output, leaves = None, []
    if "indices" in arrays:
        idx = tensor(arrays["indices"])
        call = lambda: layer(idx)  # noqa: E731
        out_shape = (*spec["indices"], spec["args"][1])
    elif "logits" in arrays:
        logits, target = tensor(arrays["logits"], requires_grad=True), tensor(arrays["target"])
        leaves = [logits]
        call = lambda: layer(logits, target)  # noqa: E731
        out_shape = None  # a scalar loss: backward() without an argument
    else:
        x = tensor(arrays["x"], requires_grad=True)
        leaves = [x]
        if name == "MultiheadAttention":
            call = lambda: layer(x, x, x, need_weights=False)[0]  # noqa: E731
        elif name in ("LSTM", "GRU", "RNN"):
            call = lambda: layer(x)[0]  # noqa: E731
        else:
            call = lambda: layer(x)  # noqa: E731
        out_shape = _output_shape(name, spec)
    if out_shape is not None:
        rng = np.random.default_rng(seed + 1)
        grad_output = tensor(rng.standard_normal(out_shape, dtype=np.float32))
    info = {
        "impl": f"nn.{name}",
        "input": spec.get("input") or spec.get("indices") or spec.get("logits"),
    }
    return LayerStep(layer, call, leaves, grad_output, sync), info


def _output_shape(name: str, spec: dict) -> tuple[int, ...]:
    shape = list(spec["input"])
    if name == "Linear":
        shape[-1] = spec["args"][1]
    elif name == "Conv2d":  # stride 1, "same" padding in the benchmark config
        shape[1] = spec["args"][1]
    elif name == "MaxPool2d":
        k = spec["args"][0]
        shape[2:] = [s // k for s in shape[2:]]
    elif name == "LSTM":
        shape[-1] = spec["args"][1]
    return tuple(shape)
