"""The kit's reference transformer step in PyTorch, to compare with TorchSharp at the same thread count.

The model of benchmarks/transformer_lm.py (the architecture of src/RigNotebooks.Training/Model/TransformerLm.cs),
the same step (zero_grad, forward, cross-entropy, backward, clip_grad_norm_ 1.0, AdamW), the same shapes as the core's
TransformerShape presets. Prints the median step time. Not part of the kit (which needs no Python); run by hand:

    python3 benchmarks/pytorch_step.py --model small --batch 16 --threads 1
    dotnet run --project src/RigNotebooks.Cli -- train --rig cpu --bench --model small --batch 16
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from transformer_lm import SHAPES, build


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
    model = build(layers, d, heads, vocab, seq)
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
