"""The 60-minute blitz snippets: constructors (torch.ones(5), torch.zeros(5, 3, dtype=torch.long),
torch.tensor, x.new_ones, torch.rand_like), x.size(), torch.add(..., out=), in-place y.add_(x),
indexing, view(16)/view(-1, 8), .item(), x.numpy() and torch.from_numpy sharing memory,
torch.cuda.is_available() and .to(device) with dtype, autograd (y.grad_fn, out.backward(),
x.grad, requires_grad_, detach, no_grad), and the neural-networks part: a LeNet on 32x32 with
net.zero_grad(), out.backward(torch.randn(1, 10)), loss.grad_fn.next_functions and an SGD loop.
Returned: values that do not depend on the random generator (they should match PyTorch)."""

import numpy as np

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
import minitorch.nn.functional as F
import minitorch.optim as optim
# --- end of imports ---


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        # 1 input image channel, 6 output channels, 5x5 square convolution kernel
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        # an affine operation: y = Wx + b
        self.fc1 = nn.Linear(16 * 5 * 5, 120)  # 5*5 from image dimension
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        # Max pooling over a (2, 2) window
        x = F.max_pool2d(F.relu(self.conv1(x)), (2, 2))
        # If the size is a square, you can specify with a single number
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)  # flatten all dimensions except the batch dimension
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def main():
    torch.manual_seed(0)
    values = []

    # Tensors
    x = torch.empty(5, 3)
    x = torch.rand(5, 3)
    x = torch.zeros(5, 3, dtype=torch.long)
    print(x)
    values.append(x.sum().item())
    x = torch.tensor([5.5, 3])
    values += x.tolist()
    x = x.new_ones(5, 3, dtype=torch.double)  # new_* methods take in sizes
    x = torch.randn_like(x, dtype=torch.float)  # override dtype!
    print(x.size())
    values += list(x.size())
    y = torch.rand(5, 3)
    result = torch.empty(5, 3)
    torch.add(x, y, out=result)
    assert torch.allclose(result, x + y)
    y.add_(x)
    assert torch.allclose(result, y)
    print(x[:, 1])
    x = torch.randn(4, 4)
    y = x.view(16)
    z = x.view(-1, 8)  # the size -1 is inferred from other dimensions
    print(x.size(), y.size(), z.size())
    values += list(z.size())
    x = torch.randn(1)
    print(x, x.item())
    assert isinstance(x.item(), float)

    # NumPy bridge
    a = torch.ones(5)
    b = a.numpy()
    a.add_(1)
    print(a, b)
    values += b.tolist()  # b changed with a: they share memory
    a = np.ones(5)
    b = torch.from_numpy(a)
    np.add(a, 1, out=a)
    print(a, b)
    values += b.tolist()
    assert b.dtype == torch.float64

    # CUDA tensors
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.ones(2, 2)
    y = torch.ones_like(x, device=device)  # directly create a tensor on GPU
    x = x.to(device)  # or just use strings ``.to("cuda")``
    z = x + y
    print(z)
    print(z.to("cpu", torch.double))  # ``.to`` can also change dtype together!
    values.append(z.to("cpu", torch.double).sum().item())

    # Autograd
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    print(y.grad_fn)
    z = y * y * 3
    out = z.mean()
    print(z, out)
    out.backward()
    print(x.grad)
    values += x.grad.view(-1).tolist()  # 4.5 everywhere
    a = torch.randn(2, 2)
    a = (a * 3) / (a - 1)
    print(a.requires_grad)
    a.requires_grad_(True)
    print(a.requires_grad)
    b = (a * a).sum()
    print(b.grad_fn)
    x = torch.randn(3, requires_grad=True)
    print(x.requires_grad)
    print((x**2).requires_grad)
    with torch.no_grad():
        print((x**2).requires_grad)
        assert not (x**2).requires_grad
    y = x.detach()
    print(y.requires_grad)
    print(x.eq(y).all())
    assert x.eq(y).all()

    # Neural networks
    net = Net()
    print(net)
    params = list(net.parameters())
    print(len(params))
    print(params[0].size())  # conv1's .weight
    values += [len(params)] + list(params[0].size())
    input = torch.randn(1, 1, 32, 32)
    out = net(input)
    print(out)
    net.zero_grad()
    out.backward(torch.randn(1, 10))
    output = net(input)
    target = torch.randn(10)  # a dummy target, for example
    target = target.view(1, -1)  # make it the same shape as output
    criterion = nn.MSELoss()
    loss = criterion(output, target)
    print(loss)
    print(loss.grad_fn)  # MSELoss
    print(loss.grad_fn.next_functions[0][0])  # Linear
    print(loss.grad_fn.next_functions[0][0].next_functions[0][0])  # ReLU
    net.zero_grad()  # zeroes the gradient buffers of all parameters
    print("conv1.bias.grad before backward")
    print(net.conv1.bias.grad)
    loss.backward()
    print("conv1.bias.grad after backward")
    print(net.conv1.bias.grad)
    optimizer = optim.SGD(net.parameters(), lr=0.01)
    first = loss.item()
    for _ in range(20):
        optimizer.zero_grad()  # zero the gradient buffers
        output = net(input)
        loss = criterion(output, target)
        loss.backward()
        optimizer.step()  # Does the update
    assert loss.item() < first
    return values


if __name__ == "__main__":
    main()
