"""A multilayer perceptron on the 8x8 digits: Sequential, CrossEntropyLoss, SGD with momentum,
TensorDataset and a shuffling DataLoader, train()/eval(), accuracy with argmax."""

from digits_data import load_digits

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
import minitorch.optim as optim
from minitorch.utils.data import DataLoader, TensorDataset
# --- end of imports ---


def main():
    torch.manual_seed(0)
    x_train, y_train = load_digits(train=True)
    x_test, y_test = load_digits(train=False)
    x_train, y_train = torch.tensor(x_train).view(-1, 64), torch.tensor(y_train)
    x_test, y_test = torch.tensor(x_test).view(-1, 64), torch.tensor(y_test)

    train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
    model = nn.Sequential(
        nn.Linear(64, 128),
        nn.ReLU(),
        nn.Dropout(0.1),
        nn.Linear(128, 10),
    )
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    history = []
    for epoch in range(8):
        model.train()
        running_loss = 0.0
        for inputs, labels in train_loader:
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item() * inputs.size(0)
        epoch_loss = running_loss / len(train_loader.dataset)
        history.append(epoch_loss)

        model.eval()
        with torch.no_grad():
            logits = model(x_test)
            test_loss = criterion(logits, y_test)
            correct = (logits.argmax(dim=1) == y_test).sum().item()
        print(
            f"epoch {epoch + 1}: train loss {epoch_loss:.4f}  test loss {test_loss:.4f}  "
            f"accuracy {100.0 * correct / len(y_test):.1f}%"
        )
    assert correct / len(y_test) > 0.9
    return history


if __name__ == "__main__":
    main()
