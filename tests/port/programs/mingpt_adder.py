"""minGPT's adder project with PyTorch's own transformer blocks: an AdditionDataset whose
__getitem__ renders 'a b reversed(a+b)' digits into torch.long tensors with y[:2n-1] = -1
masked out, a GPT of nn.TransformerEncoderLayer(batch_first=True, norm_first=True,
activation="gelu") under a causal mask, minGPT's trainer loop (a RandomSampler with replacement,
iter/next with StopIteration, clip_grad_norm_, AdamW), and eval_split's greedy generate() with
torch.topk under torch.no_grad(), .flip(1), digit factors and a %-formatted score."""

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
from minitorch.nn import functional as F
from minitorch.utils.data import DataLoader, Dataset
# --- end of imports ---


class AdditionDataset(Dataset):
    """n-digit addition problems: 85 + 50 = 135 becomes the digits 8 5 5 0 5 3 1."""

    def __init__(self, ndigit, split):
        self.split = split
        self.ndigit = ndigit
        num = (10**ndigit) ** 2  # total number of possible addition problems
        rng = torch.Generator()
        rng.manual_seed(1337)
        perm = torch.randperm(num, generator=rng)
        num_test = min(int(num * 0.2), 500)
        self.ixes = perm[:num_test] if split == "test" else perm[num_test:]

    def get_vocab_size(self):
        return 10

    def get_block_size(self):
        # a, b, a+b, and +1 due to potential carry overflow, -1 as the last digit is not input
        return 3 * self.ndigit + 1 - 1

    def __len__(self):
        return self.ixes.nelement()

    def __getitem__(self, idx):
        ndigit = self.ndigit
        idx = self.ixes[idx].item()
        nd = 10**ndigit
        a = idx // nd
        b = idx % nd
        c = a + b
        astr = f"%0{ndigit}d" % a
        bstr = f"%0{ndigit}d" % b
        cstr = (f"%0{ndigit + 1}d" % c)[::-1]  # reversed: easier to learn
        render = astr + bstr + cstr
        dix = [int(s) for s in render]
        x = torch.tensor(dix[:-1], dtype=torch.long)
        y = torch.tensor(dix[1:], dtype=torch.long)
        y[: ndigit * 2 - 1] = -1  # only train on the output locations
        return x, y


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_embd=48, n_head=4, n_layer=2):
        super().__init__()
        self.block_size = block_size
        self.tok_emb = nn.Embedding(vocab_size, n_embd)
        self.pos_emb = nn.Parameter(torch.zeros(1, block_size, n_embd))
        layer = nn.TransformerEncoderLayer(n_embd, n_head, 4 * n_embd, dropout=0.0,
                                           activation="gelu", batch_first=True,
                                           norm_first=True)  # fmt: skip
        self.blocks = nn.TransformerEncoder(layer, n_layer, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, vocab_size, bias=False)
        n_params = sum(p.numel() for p in self.parameters())
        print("number of parameters: %.2fM" % (n_params / 1e6,))

    def forward(self, idx, targets=None):
        b, t = idx.size()
        mask = nn.Transformer.generate_square_subsequent_mask(t, device=idx.device)
        x = self.tok_emb(idx) + self.pos_emb[:, :t, :]
        x = self.blocks(x, mask=mask, is_causal=True)
        logits = self.head(self.ln_f(x))
        loss = None
        if targets is not None:
            loss = F.cross_entropy(
                logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
            )
        return logits, loss

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, do_sample=False):
        for _ in range(max_new_tokens):
            idx_cond = idx if idx.size(1) <= self.block_size else idx[:, -self.block_size :]
            logits, _ = self(idx_cond)
            logits = logits[:, -1, :] / temperature
            probs = F.softmax(logits, dim=-1)
            if do_sample:
                idx_next = torch.multinomial(probs, num_samples=1)
            else:
                _, idx_next = torch.topk(probs, k=1, dim=-1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx


def eval_split(model, dataset, ndigit, max_batches=None):
    results = []
    mistakes_printed_already = 0
    factors = torch.tensor([[10**i for i in range(ndigit + 1)][::-1]])
    loader = DataLoader(dataset, batch_size=100, num_workers=0, drop_last=False)
    for b, (x, y) in enumerate(loader):
        d1d2 = x[:, : ndigit * 2]
        d1d2d3 = model.generate(d1d2, ndigit + 1, do_sample=False)  # greedy argmax
        d3 = d1d2d3[:, -(ndigit + 1) :]
        d3 = d3.flip(1)  # reverse the digits to their "normal" order
        d1i = (d1d2[:, :ndigit] * factors[:, 1:]).sum(1)
        d2i = (d1d2[:, ndigit : ndigit * 2] * factors[:, 1:]).sum(1)
        d3i_pred = (d3 * factors).sum(1)
        d3i_gt = d1i + d2i
        correct = (d3i_pred == d3i_gt).cpu()
        for i in range(x.size(0)):
            results.append(int(correct[i]))
            if not correct[i] and mistakes_printed_already < 3:
                mistakes_printed_already += 1
                print(
                    "GPT claims that %d + %d = %d but gt is %d"
                    % (d1i[i], d2i[i], d3i_pred[i], d3i_gt[i])
                )
        if max_batches is not None and b + 1 >= max_batches:
            break
    rt = torch.tensor(results, dtype=torch.float)
    print("final score: %d/%d = %.2f%% correct" % (rt.sum(), len(results), 100 * rt.mean()))
    return rt.sum()


def main(max_iters=100, ndigit=2):
    torch.manual_seed(3407)
    train_dataset = AdditionDataset(ndigit, "train")
    test_dataset = AdditionDataset(ndigit, "test")
    model = GPT(train_dataset.get_vocab_size(), train_dataset.get_block_size())
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3, betas=(0.9, 0.95),
                                  weight_decay=0.1)  # fmt: skip
    train_loader = DataLoader(
        train_dataset,
        sampler=torch.utils.data.RandomSampler(
            train_dataset, replacement=True, num_samples=int(1e10)
        ),  # fmt: skip
        shuffle=False,
        pin_memory=False,
        batch_size=64,
        num_workers=0,
    )
    model.train()
    history, window = [], []
    iter_num = 0
    data_iter = iter(train_loader)
    while True:
        try:
            batch = next(data_iter)
        except StopIteration:
            data_iter = iter(train_loader)
            batch = next(data_iter)
        x, y = batch
        logits, loss = model(x, y)
        model.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        window.append(loss.item())
        if iter_num % 25 == 0:
            history.append(sum(window) / len(window))
            window = []
            print(f"iter {iter_num}: train loss {loss.item():.5f}")
        iter_num += 1
        if iter_num >= max_iters:
            break
    model.eval()
    with torch.no_grad():
        score = eval_split(model, test_dataset, ndigit, max_batches=1)
    assert 0 <= score <= 100
    return history


if __name__ == "__main__":
    main()
