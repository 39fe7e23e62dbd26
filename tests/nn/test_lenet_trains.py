"""A LeNet-style CNN written as a Module class trains with loss.backward()."""

import minitorch as mt
from minitorch import nn, optim
from minitorch.data import DataLoader
from minitorch.data.datasets import Digits


class LeNet(nn.Module):
    """Conv-ReLU-Pool twice, then two Linear layers (sized for 8x8 digits)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, padding=1)
        self.conv2 = nn.Conv2d(6, 16, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 2 * 2, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(self.conv1(x).relu())
        x = self.pool(self.conv2(x).relu())
        return self.fc2(self.fc1(x.flatten(1)).relu())


def test_lenet_module_loss_falls():
    mt.manual_seed(0)
    model = LeNet()
    loader = DataLoader(Digits(train=True), batch_size=64, shuffle=True)
    opt = optim.Adam(model.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(6):
        for x, y in loader:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
    assert last < 0.5 * first, (first, last)
