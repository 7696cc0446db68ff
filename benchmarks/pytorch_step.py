"""The kit's reference transformer step in PyTorch, to compare with TorchSharp at the same thread count.

Same architecture as src/RigNotebooks.Training/Model/TransformerLm.cs (pre-norm GPT blocks, fused qkv, causal
attention, GELU MLP x4, learned positions, head tied to the embedding), same step (zero_grad, forward, cross-entropy,
backward, clip_grad_norm_ 1.0, AdamW), same shapes as the core's TransformerShape presets. Prints the median step
time. Not part of the kit (which needs no Python); run by hand:

    python3 benchmarks/pytorch_step.py --model small --batch 16 --threads 1
    dotnet run --project src/RigNotebooks.Cli -- train --rig cpu --bench --model small --batch 16
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

SHAPES = {  # layers, model dim, heads, vocabulary, sequence — as TransformerShape.Presets
    "tiny": (2, 64, 4, 64, 64),
    "small": (4, 256, 4, 256, 128),
    "medium": (8, 512, 8, 8192, 256),
    "gpt-100m": (12, 768, 12, 32768, 512),
}


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.attn_proj = nn.Linear(d, d)
        self.norm2 = nn.LayerNorm(d)
        self.mlp_up = nn.Linear(d, 4 * d)
        self.mlp_proj = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if hasattr(F, "scaled_dot_product_attention"):
            a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        else:  # PyTorch 1.13 (Debian 12's python3-torch): the same computation written out
            scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
            mask = torch.ones(t, t, dtype=torch.bool).triu(1)
            a = scores.masked_fill(mask, float("-inf")).softmax(-1) @ v
        x = x + self.attn_proj(a.transpose(1, 2).reshape(b, t, d))
        return x + self.mlp_proj(F.gelu(self.mlp_up(self.norm2(x))))


class Lm(nn.Module):
    def __init__(self, layers, d, heads, vocab, seq):
        super().__init__()
        self.tokens = nn.Embedding(vocab, d)
        self.positions = nn.Embedding(seq, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.final_norm = nn.LayerNorm(d)

    def forward(self, ids):
        x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1]))
        for block in self.blocks:
            x = block(x)
        return F.linear(self.final_norm(x), self.tokens.weight)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="small", choices=SHAPES)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    layers, d, heads, vocab, seq = SHAPES[a.model]
    model = Lm(layers, d, heads, vocab, seq)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.01)
    batch = torch.randint(0, vocab, (a.batch, seq + 1))
    times = []
    for i in range(a.warmup + a.steps):
        start = time.perf_counter()
        opt.zero_grad()
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, vocab), batch[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - start) * 1e3)
    params = sum(p.numel() for p in model.parameters())
    print(f"pytorch {torch.__version__} {a.model} ({params / 1e6:.2f} M parameters) batch {a.batch}x{seq} threads {a.threads}: "
          f"median step {statistics.median(times):.1f} ms")


if __name__ == "__main__":
    main()
