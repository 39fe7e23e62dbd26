"""Sequence classification three ways: a 2-layer nn.GRU (batch_first=True, dropout) reading
out[:, -1] and h_n[-1], an nn.GRUCell and an nn.RNNCell stepped by hand with torch.stack of the
states, trained together with BCEWithLogitsLoss on one Adam over an nn.ModuleDict;
clip_grad_norm_, zero_grad(), model.eval(). Returned: the summed loss averaged per 10 steps."""

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
import minitorch.optim as optim
# --- end of imports ---


class GRUClassifier(nn.Module):
    def __init__(self, input_size, hidden_size):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, num_layers=2, batch_first=True, dropout=0.1)
        self.fc = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, h_n = self.gru(x)  # out: (batch, seq, hidden), h_n: (2, batch, hidden)
        assert torch.allclose(out[:, -1], h_n[-1])
        return self.fc(out[:, -1, :]).squeeze(1)


class CellClassifier(nn.Module):
    def __init__(self, cell, input_size, hidden_size):
        super().__init__()
        self.hidden_size = hidden_size
        self.cell = cell(input_size, hidden_size)
        self.fc = nn.Linear(hidden_size, 1)

    def forward(self, x):
        h = torch.zeros(x.size(0), self.hidden_size)
        states = []
        for t in range(x.size(1)):
            h = self.cell(x[:, t, :], h)
            states.append(h)
        states = torch.stack(states, dim=1)  # (batch, seq, hidden)
        return self.fc(states[:, -1]).squeeze(1)


def make_data(n, seq_len=8):
    x = torch.randn(n, seq_len, 1)
    y = (x.sum(dim=(1, 2)) > 0).float()  # is the running total positive at the end?
    return x, y


def main(steps=100):
    torch.manual_seed(42)
    x_train, y_train = make_data(512)
    x_val, y_val = make_data(256)
    models = nn.ModuleDict(
        {
            "gru": GRUClassifier(1, 16),
            "gru_cell": CellClassifier(nn.GRUCell, 1, 16),
            "rnn_cell": CellClassifier(nn.RNNCell, 1, 16),
        }
    )
    criterion = nn.BCEWithLogitsLoss()
    optimizer = optim.Adam(models.parameters(), lr=0.01)
    history, window = [], []
    for step in range(steps):
        idx = torch.randint(0, x_train.size(0), (64,))
        xb, yb = x_train[idx], y_train[idx]
        optimizer.zero_grad()
        losses = {name: criterion(model(xb), yb) for name, model in models.items()}
        loss = sum(losses.values())
        loss.backward()
        nn.utils.clip_grad_norm_(models.parameters(), max_norm=1.0)
        optimizer.step()
        window.append(loss.item())
        if len(window) == 10:
            history.append(sum(window) / len(window))
            window = []
        if step % 50 == 0:
            print(step, {name: round(value.item(), 4) for name, value in losses.items()})

    models.eval()
    with torch.no_grad():
        for name, model in models.items():
            accuracy = ((model(x_val) > 0).float() == y_val).float().mean().item()
            print(f"{name}: validation accuracy {accuracy:.3f}")
            assert accuracy > 0.8, name
    return history


if __name__ == "__main__":
    main()
