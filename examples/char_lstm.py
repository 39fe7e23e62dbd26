"""Train a character-level LSTM on the Zen of Python, then let it write.

    python examples/char_lstm.py                       # a few seconds on 2 CPU cores
    python examples/char_lstm.py --temperature 0       # greedy sampling
    python examples/char_lstm.py --steps 1000 --device cuda

The text comes from the standard library (``import this``), so nothing is downloaded. The model
reads a window of characters and predicts, at every position, the character that follows:
Embedding -> LSTM -> Linear, trained with cross-entropy, Adam and gradient clipping on random
windows. Sampling feeds one character at a time and carries the LSTM's state (h, c) over.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import io
import math
import time

import numpy as np  # host-side text encoding, window offsets and sampling
from cli_args import device_name, non_negative, positive  # examples/cli_args.py

import minitorch as mt
from minitorch import nn, optim


def zen_of_python() -> str:
    """The Zen of Python, without the print that ``import this`` does."""
    with contextlib.redirect_stdout(io.StringIO()):
        import this  # noqa: F401  (prints the Zen on first import)
    return codecs.decode(this.s, "rot13")


class CharLSTM(nn.Module):
    """Characters -> embeddings -> LSTM -> logits over the vocabulary at every position.

    Shape: input (N, L) int64 -> logits (N, L, vocab_size); state ((layers, N, H), (layers, N, H)).
    """

    def __init__(self, vocab_size: int, embedding_dim: int = 32, hidden_size: int = 128,
                 num_layers: int = 1) -> None:  # fmt: skip
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: mt.Tensor, state: tuple | None = None) -> tuple[mt.Tensor, tuple]:
        h, state = self.lstm(self.embed(x), state)
        return self.head(h), state


def sample(model: CharLSTM, prompt: str, length: int, temperature: float, chars: list[str],
           rng: np.random.Generator, device: str) -> str:  # fmt: skip
    """Continue ``prompt`` by ``length`` characters; ``temperature`` 0 picks the likeliest."""
    index = {c: i for i, c in enumerate(chars)}
    model.eval()
    out = list(prompt)
    with mt.no_grad():
        x = mt.tensor([[index[c] for c in prompt]], dtype=mt.int64, device=device)
        logits, state = model(x)  # read the whole prompt at once; keep the final state
        for _ in range(length):
            last = logits[0, -1]
            if temperature <= 0:
                nxt = int(last.argmax().item())
            else:
                p = (last / temperature).softmax(-1).double().cpu().numpy()
                nxt = int(rng.choice(len(chars), p=p / p.sum()))
            out.append(chars[nxt])
            x = mt.tensor([[nxt]], dtype=mt.int64, device=device)
            logits, state = model(x, state)  # one step, the state carried over
    model.train()
    return "".join(out)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter
    )
    parser.add_argument("--steps", type=positive(int), default=200, help="training steps")
    parser.add_argument("--batch-size", type=positive(int), default=32, help="windows per step")
    parser.add_argument("--seq-len", type=positive(int), default=64, help="characters a window")
    parser.add_argument("--hidden-size", type=positive(int), default=128, help="LSTM units")
    parser.add_argument("--num-layers", type=positive(int), default=1, help="stacked LSTMs")
    parser.add_argument("--lr", type=positive(float), default=1e-2, help="Adam learning rate")
    parser.add_argument("--log-every", type=positive(int), default=25, help="steps a line")
    parser.add_argument("--device", type=device_name, default="cpu", help="cpu, cuda or cuda:N")
    parser.add_argument("--seed", type=non_negative(int), default=0, help="random seed")
    parser.add_argument("--prompt", default="Beautiful", help="text the sample starts from")
    parser.add_argument("--length", type=non_negative(int), default=300,
                        help="characters to sample")  # fmt: skip
    parser.add_argument("--temperature", type=non_negative(float), default=0.5,
                        help="sampling temperature; 0 = greedy")  # fmt: skip
    args = parser.parse_args(argv)

    text = zen_of_python()
    chars = sorted(set(text))
    unknown = set(args.prompt) - set(chars)
    if not args.prompt or unknown:
        parser.error(f"--prompt must be non-empty and use characters of the text; "
                     f"not in it: {sorted(unknown)}")  # fmt: skip
    codes = np.array([chars.index(c) for c in text], dtype=np.int64)
    span = args.seq_len + 1  # a window: the inputs and, shifted by one, the targets
    if len(codes) <= span:
        parser.error(f"--seq-len must be below {len(codes) - 1} (the text has {len(codes)} chars)")
    mt.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    print(f"text: {len(text)} characters, vocabulary of {len(chars)} "
          f"(a uniform guess scores ln {len(chars)} = {math.log(len(chars)):.2f})")  # fmt: skip

    model = CharLSTM(len(chars), 32, args.hidden_size, args.num_layers).to(args.device)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    offsets = np.arange(span)

    losses, window = [], []
    start = time.perf_counter()
    for step in range(1, args.steps + 1):
        starts = rng.integers(0, len(codes) - span + 1, size=args.batch_size)
        batch = mt.tensor(codes[starts[:, None] + offsets], device=args.device)  # (N, L + 1)
        x, y = batch[:, :-1], batch[:, 1:]
        optimizer.zero_grad()
        logits, _ = model(x)
        loss = loss_fn(logits.reshape(-1, len(chars)), y.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # tame exploding gradients
        optimizer.step()
        window.append(loss.item())
        if step == 1 or step % args.log_every == 0 or step == args.steps:
            mean = sum(window) / len(window)  # the mean since the last line: less noisy
            losses.append(mean)
            print(f"step {step:5d}  loss {mean:.3f}  ({time.perf_counter() - start:.1f} s)")
            window = []

    text_out = sample(model, args.prompt, args.length, args.temperature, chars, rng, args.device)
    print(f"\nsample (temperature {args.temperature}):\n{text_out}")
    return {"losses": losses, "sample": text_out}


if __name__ == "__main__":
    main()
