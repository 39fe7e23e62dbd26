"""The Tensor surface as real programs use it: a nanoGPT-style data pipeline, training loop,
loss estimate and sampling loop, written as for PyTorch with only the import changed."""

from __future__ import annotations

import minitorch as torch
from minitorch import nn
from minitorch.nn import functional as F


def test_a_bigram_language_model_trains_and_samples_as_written_for_pytorch():
    torch.manual_seed(1337)
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    device = "cuda" if torch.cuda.is_available() else "cpu"
    text = "hello world, hello minitorch. " * 20
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    assert data.dtype == torch.int64 and data.dim() == 1
    n = int(0.9 * len(data))
    train_data, val_data = data[:n], data[n:]
    block_size, batch_size = 8, 4

    def get_batch(split):
        d = train_data if split == "train" else val_data
        ix = torch.randint(len(d) - block_size, (batch_size,))
        x = torch.stack([d[i : i + block_size] for i in ix])
        y = torch.stack([d[i + 1 : i + block_size + 1] for i in ix])
        return x.to(device), y.to(device)

    class Bigram(nn.Module):
        def __init__(self, vocab_size):
            super().__init__()
            self.token_embedding_table = nn.Embedding(vocab_size, vocab_size)

        def forward(self, idx, targets=None):
            logits = self.token_embedding_table(idx)
            if targets is None:
                return logits, None
            B, T, C = logits.shape
            loss = F.cross_entropy(logits.view(B * T, C), targets.view(B * T))
            return logits, loss

        def generate(self, idx, max_new_tokens):
            for _ in range(max_new_tokens):
                logits, _ = self(idx)
                probs = F.softmax(logits[:, -1, :], dim=-1)
                idx_next = torch.multinomial(probs, num_samples=1)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    model = Bigram(len(chars)).to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)

    @torch.no_grad()
    def estimate_loss():
        out = {}
        model.eval()
        for split in ["train", "val"]:
            losses = torch.zeros(5)
            for k in range(5):
                X, Y = get_batch(split)
                _, loss = model(X, Y)
                losses[k] = loss.item()
            out[split] = losses.mean()
        model.train()
        return out

    first = estimate_loss()
    for _ in range(60):
        xb, yb = get_batch("train")
        _, loss = model(xb, yb)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    last = estimate_loss()
    line = f"train loss {last['train']:.4f}, val loss {last['val']:.4f}"
    assert line.startswith("train loss ") and len(line.split(", ")[0]) == len("train loss 0.0000")
    assert last["train"] < first["train"]
    context = torch.zeros((1, 1), dtype=torch.long, device=device)
    sample = model.generate(context, max_new_tokens=10)[0].tolist()
    assert len(sample) == 11 and all(0 <= i < len(chars) for i in sample)
    torch.backends.cudnn.benchmark = False
