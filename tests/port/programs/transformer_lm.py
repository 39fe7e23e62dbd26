"""The word_language_model TransformerModel on characters (sequence-first): sinusoidal
PositionalEncoding in a register_buffer built with arange/exp/sin/cos and strided slice
assignment, nn.TransformerEncoderLayer stacked by nn.TransformerEncoder under the causal
nn.Transformer.generate_square_subsequent_mask, embeddings scaled by sqrt(d_model), and
CrossEntropyLoss on logits.view(-1, ntokens) with Adam and clip_grad_norm_."""

import math

# --- imports (the only lines that differ from PyTorch) ---
import minitorch as torch
import minitorch.nn as nn
# --- end of imports ---

TEXT = "abcdefghijklmnopqrstuvwxyz " * 60


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=5000):
        super(PositionalEncoding, self).__init__()
        self.dropout = nn.Dropout(p=dropout)

        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        pe = pe.unsqueeze(0).transpose(0, 1)
        self.register_buffer("pe", pe)

    def forward(self, x):
        x = x + self.pe[: x.size(0), :]
        return self.dropout(x)


class TransformerModel(nn.Module):
    def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
        super(TransformerModel, self).__init__()
        self.model_type = "Transformer"
        self.src_mask = None
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        encoder_layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.ninp = ninp
        self.decoder = nn.Linear(ninp, ntoken)
        self.init_weights()

    def init_weights(self):
        initrange = 0.1
        nn.init.uniform_(self.encoder.weight, -initrange, initrange)
        nn.init.zeros_(self.decoder.bias)
        nn.init.uniform_(self.decoder.weight, -initrange, initrange)

    def forward(self, src, has_mask=True):
        if has_mask:
            device = src.device
            if self.src_mask is None or self.src_mask.size(0) != len(src):
                mask = nn.Transformer.generate_square_subsequent_mask(len(src)).to(device)
                self.src_mask = mask
        else:
            self.src_mask = None

        src = self.encoder(src) * math.sqrt(self.ninp)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src, self.src_mask)
        return self.decoder(output)


def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data[: nbatch * bsz]
    return data.view(bsz, -1).t().contiguous()


def get_batch(source, i, bptt=12):
    seq_len = min(bptt, len(source) - 1 - i)
    data = source[i : i + seq_len]
    target = source[i + 1 : i + 1 + seq_len].reshape(-1)
    return data, target


def main(epochs=3):
    torch.manual_seed(0)
    vocab = sorted(set(TEXT))
    stoi = {ch: i for i, ch in enumerate(vocab)}
    data = torch.tensor([stoi[ch] for ch in TEXT], dtype=torch.long)
    train_data = batchify(data, 16)
    ntokens = len(vocab)
    model = TransformerModel(ntokens, ninp=32, nhead=2, nhid=64, nlayers=2, dropout=0.1)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        total_loss = 0.0
        nbatches = 0
        for batch, i in enumerate(range(0, train_data.size(0) - 1, 12)):
            data, targets = get_batch(train_data, i)
            optimizer.zero_grad()
            output = model(data)
            output = output.view(-1, ntokens)
            loss = criterion(output, targets)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            optimizer.step()
            total_loss += loss.item()
            nbatches += 1
        history.append(total_loss / nbatches)
        print(f"| epoch {epoch:3d} | loss {history[-1]:5.2f} | ppl {math.exp(history[-1]):8.2f}")

    model.eval()
    with torch.no_grad():
        prompt = torch.tensor([stoi[ch] for ch in "abcdefgh"], dtype=torch.long).unsqueeze(1)
        logits = model(prompt)
        next_char = vocab[logits[-1, 0].argmax().item()]
    print("after 'abcdefgh' comes", repr(next_char))
    return history


if __name__ == "__main__":
    main()
