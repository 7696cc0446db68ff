"""The kit's reference transformer in PyTorch, for benchmarks/pytorch_step.py and benchmarks/torch_ddp_step.py.

Same architecture as src/RigNotebooks.Training/Model/TransformerLm.cs: pre-norm GPT blocks, fused qkv, causal
attention, GELU MLP x4, learned positions, head tied to the embedding. SHAPES are the core's TransformerShape
presets. Reading SHAPES needs no PyTorch (torch_ddp_step.py --dry-run runs without it); build() imports it.
"""
import math

SHAPES = {  # layers, model dim, heads, vocabulary, sequence — as TransformerShape.Presets
    "tiny": (2, 64, 4, 64, 64),
    "small": (4, 256, 4, 256, 128),
    "medium": (8, 512, 8, 8192, 256),
    "gpt-100m": (12, 768, 12, 32768, 512),
}


def build(layers, d, heads, vocab, seq, init_std=None):
    """The model for one shape (a SHAPES entry unpacked), on the CPU. init_std redraws the token and position
    embeddings from N(0, init_std) (GPT-2 uses 0.02, so the tied head starts near uniform); None keeps PyTorch's
    N(0, 1)."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

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
                att = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:  # PyTorch before 2.0 (e.g. Debian 12's python3-torch 1.13): the same computation written out
                scores = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
                mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
                att = scores.masked_fill(mask, float("-inf")).softmax(-1) @ v
            x = x + self.attn_proj(att.transpose(1, 2).reshape(b, t, d))
            return x + self.mlp_proj(F.gelu(self.mlp_up(self.norm2(x))))

    class Lm(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(vocab, d)
            self.positions = nn.Embedding(seq, d)
            self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
            self.final_norm = nn.LayerNorm(d)
            if init_std is not None:
                nn.init.normal_(self.tokens.weight, std=init_std)
                nn.init.normal_(self.positions.weight, std=init_std)

        def forward(self, ids):
            x = self.tokens(ids) + self.positions(torch.arange(ids.shape[1], device=ids.device))
            for block in self.blocks:
                x = block(x)
            return F.linear(self.final_norm(x), self.tokens.weight)

    return Lm()
