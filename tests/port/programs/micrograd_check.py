"""micrograd's own test against PyTorch: scalar expressions in float64 built with
torch.Tensor([...]).double(), x.requires_grad = True, .relu(), **, unary minus, /, reverse
operators (2 * x, 10.0 / f), .backward(), then y.data.item() and x.grad.item().
Returned: every forward value and gradient (they should match PyTorch to 1e-6)."""

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
# --- end of imports ---


def sanity_check():
    x = torch.Tensor([-4.0]).double()
    x.requires_grad = True
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    xpt, ypt = x, y
    return [ypt.data.item(), xpt.grad.item()]


def more_ops():
    a = torch.Tensor([-4.0]).double()
    b = torch.Tensor([2.0]).double()
    a.requires_grad = True
    b.requires_grad = True
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    g.backward()
    apt, bpt, gpt = a, b, g
    return [gpt.data.item(), apt.grad.item(), bpt.grad.item()]


def neuron():
    # a two-input neuron: tanh(x1*w1 + x2*w2 + b), as in micrograd's walkthrough
    x1 = torch.Tensor([2.0]).double()
    x1.requires_grad = True
    x2 = torch.Tensor([0.0]).double()
    x2.requires_grad = True
    w1 = torch.Tensor([-3.0]).double()
    w1.requires_grad = True
    w2 = torch.Tensor([1.0]).double()
    w2.requires_grad = True
    b = torch.Tensor([6.8813735870195432]).double()
    b.requires_grad = True
    n = x1 * w1 + x2 * w2 + b
    o = torch.tanh(n)
    o.backward()
    return [o.data.item(), x1.grad.item(), w1.grad.item(), x2.grad.item(), w2.grad.item()]


def main():
    values = sanity_check() + more_ops() + neuron()
    print(values)
    # micrograd's reference numbers, worked out by hand
    assert abs(values[0] - -20.0) < 1e-6 and abs(values[1] - 46.0) < 1e-6
    assert abs(values[2] - 24.70408163265306) < 1e-6
    return values


if __name__ == "__main__":
    main()
