"""The "saving and loading a general checkpoint" and LR-scheduler recipes: train an MLP with
SGD (momentum, weight decay) under a MultiStepLR, torch.save({...}, PATH) of epoch, model,
optimizer and scheduler state, rebuild everything, torch.load(PATH, weights_only=True),
load_state_dict into each, model.train() and resume; the resumed run must equal an
uninterrupted one. Also torch.save(model.state_dict()) / load for inference with model.eval(),
scheduler.get_last_lr() and optimizer.param_groups[0]["lr"]."""

import os
import tempfile

from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
import minitorch.nn.functional as F
import minitorch.optim as optim
# --- end of imports ---


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def make():
    model = Net()
    optimizer = optim.SGD(model.parameters(), lr=0.2, momentum=0.9, weight_decay=1e-4)
    scheduler = optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2, 4], gamma=0.5)
    return model, optimizer, scheduler


def train_epoch(model, optimizer, x, y):
    model.train()
    for xb, yb in zip(x.split(128), y.split(128)):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        return F.cross_entropy(model(x), y).item()


def main(epochs=6, resume_at=3):
    images, labels = load_digits(train=True)
    x, y = torch.from_numpy(images).view(-1, 64), torch.from_numpy(labels)

    # an uninterrupted run, for reference
    torch.manual_seed(0)
    model, optimizer, scheduler = make()
    straight = []
    for epoch in range(epochs):
        straight.append(train_epoch(model, optimizer, x, y))
        scheduler.step()
    reference = {k: v.clone() for k, v in model.state_dict().items()}

    with tempfile.TemporaryDirectory() as tmp:
        PATH = os.path.join(tmp, "checkpoint.pt")
        torch.manual_seed(0)
        model, optimizer, scheduler = make()
        history = []
        for epoch in range(resume_at):
            loss = train_epoch(model, optimizer, x, y)
            history.append(loss)
            scheduler.step()
            print(f"epoch {epoch}: loss {loss:.4f} lr {scheduler.get_last_lr()[0]:.4f}")
        torch.save(
            {
                "epoch": epoch,
                "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(),
                "scheduler_state_dict": scheduler.state_dict(),
                "loss": loss,
            },
            PATH,
        )
        del model, optimizer, scheduler

        model, optimizer, scheduler = make()
        checkpoint = torch.load(PATH, weights_only=True)
        model.load_state_dict(checkpoint["model_state_dict"])
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
        scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
        start_epoch = checkpoint["epoch"] + 1
        assert checkpoint["loss"] == history[-1]
        assert optimizer.param_groups[0]["lr"] == scheduler.get_last_lr()[0]

        model.train()
        for epoch in range(start_epoch, epochs):
            loss = train_epoch(model, optimizer, x, y)
            history.append(loss)
            scheduler.step()
            print(f"epoch {epoch}: loss {loss:.4f} lr {optimizer.param_groups[0]['lr']:.4f}")

        for k, v in model.state_dict().items():
            assert torch.allclose(v, reference[k], atol=1e-6), k
        assert history == straight

        # save for inference, load into a fresh model
        torch.save(model.state_dict(), os.path.join(tmp, "model.pt"))
        fresh = Net()
        fresh.load_state_dict(torch.load(os.path.join(tmp, "model.pt"), weights_only=True))
        fresh.eval()
        with torch.no_grad():
            assert torch.equal(fresh(x[:5]).argmax(1), model(x[:5]).argmax(1))
    return history


if __name__ == "__main__":
    main()
