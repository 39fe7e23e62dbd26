"""A custom Dataset (__getitem__/__len__ with the tutorial's `if torch.is_tensor(idx)` guard and
a callable transform class), random_split with a seeded torch.Generator, and DataLoaders with
num_workers=2, pin_memory=True, shuffle=True, persistent_workers=True and drop_last=True
feeding an nn.Flatten MLP; checks every sample is seen once per epoch."""

from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
from minitorch.utils.data import DataLoader, Dataset, random_split
# --- end of imports ---


class Normalize(object):
    """Shift and scale an image tensor."""

    def __init__(self, mean, std):
        self.mean, self.std = mean, std

    def __call__(self, image):
        return (image - self.mean) / self.std


class DigitsDataset(Dataset):
    """8x8 digit images as (1, 8, 8) float tensors with integer labels."""

    def __init__(self, train=True, transform=None):
        self.images, self.labels = load_digits(train=train)
        self.transform = transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        if torch.is_tensor(idx):
            idx = idx.tolist()
        image = torch.from_numpy(self.images[idx]).unsqueeze(0)
        if self.transform:
            image = self.transform(image)
        return image, int(self.labels[idx]), idx


def main(epochs=3):
    torch.manual_seed(0)
    dataset = DigitsDataset(train=True, transform=Normalize(0.3, 0.4))
    train_set, val_set = random_split(dataset, [0.8, 0.2],
                                      generator=torch.Generator().manual_seed(42))  # fmt: skip
    print(len(train_set), len(val_set))
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=2,
                              pin_memory=True, persistent_workers=True)  # fmt: skip
    val_loader = DataLoader(val_set, batch_size=128, shuffle=False, num_workers=2,
                            pin_memory=True, drop_last=True)  # fmt: skip

    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)

    history = []
    for epoch in range(epochs):
        model.train()
        seen = []
        for images, labels, idx in train_loader:
            assert images.shape[1:] == (1, 8, 8) and labels.dtype == torch.int64
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            seen += idx.tolist()
        assert sorted(seen) == sorted(train_set.indices)

        model.eval()
        total, correct, val_loss = 0, 0, 0.0
        with torch.no_grad():
            for images, labels, _ in val_loader:
                output = model(images)
                val_loss += criterion(output, labels).item() * labels.size(0)
                correct += (output.argmax(1) == labels).sum().item()
                total += labels.size(0)
        history.append(val_loss / total)
        print(f"epoch {epoch}: val loss {history[-1]:.4f} accuracy {correct / total:.3f}")
    assert total == len(val_loader) * 128
    return history


if __name__ == "__main__":
    main()
