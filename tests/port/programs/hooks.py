"""Hooks and modes while training a small classifier on digits: register_forward_hook to grab
activations into a dict (output.detach()), a forward hook that returns a replacement output,
register_forward_pre_hook, register_full_backward_hook, Tensor.register_hook and retain_grad on
an intermediate, handle.remove(), named_modules(), model.train()/model.eval() with Dropout and
BatchNorm1d (running stats move only in training), and torch.autograd.grad with
create_graph=True for an input-gradient penalty."""

from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
import minitorch.nn.functional as F
# --- end of imports ---


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.bn = nn.BatchNorm1d(32)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        h = self.drop(F.relu(self.bn(self.fc1(x))))
        return self.fc2(h)


def main(epochs=5):
    torch.manual_seed(0)
    images, labels = load_digits(train=True)
    x, y = torch.tensor(images).view(-1, 64), torch.tensor(labels)
    model = Net()
    print([name for name, _ in model.named_modules()])

    activation = {}

    def get_activation(name):
        def hook(model, input, output):
            activation[name] = output.detach()

        return hook

    handles = [model.fc1.register_forward_hook(get_activation("fc1")),
               model.fc2.register_forward_hook(get_activation("fc2"))]  # fmt: skip
    grads = {}

    def backward_hook(module, grad_input, grad_output):
        grads["fc2_out"] = grad_output[0].detach()

    handles.append(model.fc2.register_full_backward_hook(backward_hook))
    calls = []
    handles.append(model.register_forward_pre_hook(lambda module, args: calls.append(len(args))))

    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    history = []
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(x.size(0))
        for i in range(0, x.size(0), 128):
            idx = perm[i : i + 128]
            xb, yb = x[idx], y[idx]
            optimizer.zero_grad()
            out = model(xb)
            loss = F.cross_entropy(out, yb)
            loss.backward()
            optimizer.step()
            assert torch.allclose(activation["fc2"], out.detach())
            assert grads["fc2_out"].shape == out.shape
        model.eval()
        with torch.no_grad():
            history.append(F.cross_entropy(model(x), y).item())
        print(f"epoch {epoch}: loss {history[-1]:.4f}, fc1 activations {activation['fc1'].shape}")
    assert len(calls) > 0 and set(calls) == {1}

    for handle in handles:
        handle.remove()
    activation.clear()
    model(x[:4])
    assert activation == {}  # the hooks are gone

    # eval() is deterministic and leaves the BatchNorm statistics alone; train() is not
    model.eval()
    assert not model.training and not model.bn.training
    running_mean = model.bn.running_mean.clone()
    with torch.no_grad():
        a, b = model(x[:32]), model(x[:32])
    assert torch.equal(a, b) and torch.equal(running_mean, model.bn.running_mean)
    model.train()
    with torch.no_grad():
        model(x[:32])
    assert not torch.equal(running_mean, model.bn.running_mean)

    # a forward hook may replace the output
    model.eval()
    handle = model.fc2.register_forward_hook(lambda module, input, output: output * 0)
    assert model(x[:3]).abs().sum().item() == 0
    handle.remove()

    # gradients of an intermediate: retain_grad and a tensor hook
    xb = x[:16]
    h = model.fc1(xb)
    h.retain_grad()
    seen = []
    h.register_hook(lambda grad: seen.append(grad.norm().item()))
    model.fc2(F.relu(model.bn(h))).sum().backward()
    assert h.grad.shape == h.shape and len(seen) == 1

    # an input-gradient penalty (as in WGAN-GP) needs create_graph=True
    xb = x[:16].clone().requires_grad_(True)
    out = model(xb)
    (grad_x,) = torch.autograd.grad(out.sum(), xb, create_graph=True)
    penalty = ((grad_x.norm(2, dim=1) - 1) ** 2).mean()
    model.zero_grad()
    penalty.backward()
    assert model.fc1.weight.grad is not None and model.fc1.weight.grad.abs().sum() > 0
    return history


if __name__ == "__main__":
    main()
