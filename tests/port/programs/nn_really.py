""" "What is torch.nn really?" on 8x8 digits, step by step: map(torch.tensor, ...), a model from
scratch (torch.randn(64, 10) / math.sqrt(64), requires_grad_(), @, a log_softmax written as
x - x.exp().sum(-1).log().unsqueeze(-1), nll by input[range(n), target]) trained with
`weights -= weights.grad * lr; weights.grad.zero_()` under no_grad; then F.cross_entropy,
nn.Module with nn.Parameter, nn.Linear, optim.SGD, TensorDataset, DataLoader, the tutorial's
loss_batch/fit/get_data with model.train()/model.eval() and np.sum(np.multiply(losses, nums)),
a CNN with F.avg_pool2d, and nn.Sequential with a Lambda module and nn.AdaptiveAvgPool2d.
Returned: the validation loss after each stage (the first is the untrained model's)."""

import math

import numpy as np
from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn.functional as F
from minitorch import nn, optim
from minitorch.utils.data import DataLoader, TensorDataset
# --- end of imports ---

bs = 64  # batch size
lr = 0.5  # learning rate
epochs = 2  # how many epochs to train for


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(64, 10) / math.sqrt(64))
        self.bias = nn.Parameter(torch.zeros(10))

    def forward(self, xb):
        return xb @ self.weights + self.bias


class Mnist_LinearLogistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(64, 10)

    def forward(self, xb):
        return self.lin(xb)


class Mnist_CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1)

    def forward(self, xb):
        xb = xb.view(-1, 1, 8, 8)
        xb = F.relu(self.conv1(xb))
        xb = F.relu(self.conv2(xb))
        xb = F.relu(self.conv3(xb))
        xb = F.avg_pool2d(xb, 1)
        return xb.view(-1, xb.size(1))


class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def preprocess(x):
    return x.view(-1, 1, 8, 8)


def loss_batch(model, loss_func, xb, yb, opt=None):
    loss = loss_func(model(xb), yb)

    if opt is not None:
        loss.backward()
        opt.step()
        opt.zero_grad()

    return loss.item(), len(xb)


def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            loss_batch(model, loss_func, xb, yb, opt)

        model.eval()
        with torch.no_grad():
            losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
        val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)

        print(epoch, val_loss)
    return val_loss


def get_data(train_ds, valid_ds, bs):
    return (
        DataLoader(train_ds, batch_size=bs, shuffle=True),
        DataLoader(valid_ds, batch_size=bs * 2),
    )


def main():
    torch.manual_seed(0)
    (x_train, y_train), (x_valid, y_valid) = load_digits(True), load_digits(False)
    x_train, x_valid = x_train.reshape(-1, 64), x_valid.reshape(-1, 64)
    x_train, y_train, x_valid, y_valid = map(torch.tensor, (x_train, y_train, x_valid, y_valid))
    n, c = x_train.shape
    print(x_train, y_train)
    print(x_train.shape)
    print(y_train.min(), y_train.max())
    stages = []

    # Neural net from scratch (without torch.nn)
    weights = torch.randn(64, 10) / math.sqrt(64)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    loss_func = nll
    xb = x_train[0:bs]  # a mini-batch from x
    preds = model(xb)  # predictions
    print(preds[0], preds.shape)
    yb = y_train[0:bs]
    print(loss_func(preds, yb), accuracy(preds, yb))
    stages.append(loss_func(model(x_valid), y_valid).item())

    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)

            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()
    print(loss_func(model(xb), yb), accuracy(model(xb), yb))
    stages.append(loss_func(model(x_valid), y_valid).item())

    # Using torch.nn.functional, nn.Module, nn.Linear and optim
    loss_func = F.cross_entropy
    model = Mnist_Logistic()
    print(loss_func(model(xb), yb))

    def get_model(cls):
        model = cls()
        return model, optim.SGD(model.parameters(), lr=lr)

    model, opt = get_model(Mnist_LinearLogistic)
    train_ds = TensorDataset(x_train, y_train)
    valid_ds = TensorDataset(x_valid, y_valid)
    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    stages.append(fit(epochs, model, loss_func, opt, train_dl, valid_dl))

    # Switch to a CNN
    model = Mnist_CNN()
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    stages.append(fit(epochs, model, loss_func, opt, train_dl, valid_dl))

    # nn.Sequential with a Lambda layer
    model = nn.Sequential(
        Lambda(preprocess),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    stages.append(fit(epochs + 2, model, loss_func, opt, train_dl, valid_dl))
    print("validation loss after each stage:", [f"{v:.3f}" for v in stages])
    return stages


if __name__ == "__main__":
    main()
