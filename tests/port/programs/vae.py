"""pytorch/examples VAE on 8x8 digits: fc1/fc21/fc22/fc3/fc4, the reparameterisation trick with
torch.exp(0.5 * logvar) and torch.randn_like, torch.sigmoid decoder, loss
F.binary_cross_entropy(..., reduction='sum') plus the KL term with .pow(2) and .exp(), Adam,
the example's train/test loops with .format() logging, and sampling torch.randn(64, 20)."""

import argparse

from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn.functional as F
import minitorch.utils.data
from minitorch import nn, optim
# --- end of imports ---


class VAE(nn.Module):
    def __init__(self):
        super(VAE, self).__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc21 = nn.Linear(128, 20)
        self.fc22 = nn.Linear(128, 20)
        self.fc3 = nn.Linear(20, 128)
        self.fc4 = nn.Linear(128, 64)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 64))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


# Reconstruction + KL divergence losses summed over all elements and batch
def loss_function(recon_x, x, mu, logvar):
    BCE = F.binary_cross_entropy(recon_x, x.view(-1, 64), reduction="sum")

    # see Appendix B from VAE paper: Kingma and Welling. Auto-Encoding Variational Bayes.
    # 0.5 * sum(1 + log(sigma^2) - mu^2 - sigma^2)
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())

    return BCE + KLD


def main(argv=()):
    parser = argparse.ArgumentParser(description="VAE digits example")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--log-interval", type=int, default=10)
    args = parser.parse_args(list(argv))

    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    kwargs = {"num_workers": 1, "pin_memory": True} if device.type == "cuda" else {}

    def dataset(train):
        images, labels = load_digits(train=train)
        return torch.utils.data.TensorDataset(torch.tensor(images).unsqueeze(1),
                                              torch.tensor(labels))  # fmt: skip

    train_loader = torch.utils.data.DataLoader(
        dataset(True), batch_size=args.batch_size, shuffle=True, **kwargs
    )
    test_loader = torch.utils.data.DataLoader(
        dataset(False), batch_size=args.batch_size, shuffle=False, **kwargs
    )

    model = VAE().to(device)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)

    def train(epoch):
        model.train()
        train_loss = 0
        for batch_idx, (data, _) in enumerate(train_loader):
            data = data.to(device)
            optimizer.zero_grad()
            recon_batch, mu, logvar = model(data)
            loss = loss_function(recon_batch, data, mu, logvar)
            loss.backward()
            train_loss += loss.item()
            optimizer.step()
            if batch_idx % args.log_interval == 0:
                print(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}".format(
                        epoch,
                        batch_idx * len(data),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item() / len(data),
                    )
                )
        average = train_loss / len(train_loader.dataset)
        print("====> Epoch: {} Average loss: {:.4f}".format(epoch, average))
        return average

    def test(epoch):
        model.eval()
        test_loss = 0
        with torch.no_grad():
            for i, (data, _) in enumerate(test_loader):
                data = data.to(device)
                recon_batch, mu, logvar = model(data)
                test_loss += loss_function(recon_batch, data, mu, logvar).item()
                if i == 0:
                    n = min(data.size(0), 8)
                    comparison = torch.cat(
                        [data[:n], recon_batch.view(args.batch_size, 1, 8, 8)[:n]]
                    )
                    assert comparison.shape == (2 * n, 1, 8, 8)
        test_loss /= len(test_loader.dataset)
        print("====> Test set loss: {:.4f}".format(test_loss))

    history = []
    for epoch in range(1, args.epochs + 1):
        history.append(train(epoch))
        test(epoch)
        with torch.no_grad():
            sample = torch.randn(64, 20).to(device)
            sample = model.decode(sample).cpu()
            assert sample.view(64, 1, 8, 8).shape == (64, 1, 8, 8)
    return history


if __name__ == "__main__":
    main()
