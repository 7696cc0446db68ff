"""A small GPT-like training loop in PyTorch for `rig train --cmd`: DistributedDataParallel when torchrun starts more
than one process, plain training otherwise, and one throughput line per step that the kit's default regex reads
("... 12345.6 tokens/s ..."). It measures the GPUs and the collectives, not learning: the tokens are random.

On the GPU machine (PyTorch in /opt/torch/.venv), from the repository root:

    rig train --cmd "/opt/torch/.venv/bin/torchrun --standalone --nproc_per_node={gpus} benchmarks/torch_ddp_step.py --steps 30" --gpus 1,2,3 --p2p on,off

Each process uses cuda:LOCAL_RANK (the kit sets CUDA_VISIBLE_DEVICES per case) with bf16 autocast where the GPU has
it; without CUDA it trains on the CPU with the gloo backend, so the script can be tried anywhere PyTorch is. Only
rank 0 prints. Tokens/s counts every rank's tokens (global batch x sequence length / step time). `--dry-run` prints
the lines the loop would print, marked as a dry run, without importing torch (for the kit's own tests).
"""
import argparse
import os
import statistics
import sys
import time

from transformer_lm import SHAPES


def step_line(step, tokens_per_s, loss, step_ms):
    """The per-step line; the kit's default regex takes the number before "tokens/s"."""
    return f"step {step}: {tokens_per_s:.1f} tokens/s, loss {loss:.4f}, {step_ms:.2f} ms/step"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", default="small", choices=SHAPES)
    p.add_argument("--batch", type=int, default=8, help="sequences per process per step")
    p.add_argument("--steps", type=int, default=30, help="timed steps (each prints a line)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (compilation, NCCL set-up)")
    p.add_argument("--precision", default="auto", choices=["auto", "bf16", "fp32"], help="auto = bf16 autocast on a GPU that has it, else fp32")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--dry-run", action="store_true", help="print the lines the loop would print, without torch")
    return p.parse_args(argv)


def dry_run(a):
    world = int(os.environ.get("WORLD_SIZE", "1"))
    layers, d, heads, vocab, seq = SHAPES[a.model]
    print(f"torch_ddp_step: DRY RUN (no training, made-up numbers): model {a.model} ({layers} layers, d={d}), "
          f"world {world}, batch {a.batch}/process, sequence {seq}", flush=True)
    for i in range(a.steps):
        print("dry run " + step_line(i, 1000.0 * world, 4.0, 10.0), flush=True)
    print(f"summary: dry run, {a.steps} steps", flush=True)


def main(argv):
    a = parse_args(argv)
    if a.dry_run:
        dry_run(a)
        return 0

    import torch
    import torch.distributed as dist
    import torch.nn.functional as F

    from transformer_lm import build

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available()
    device = torch.device("cuda", local_rank) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    if world > 1:
        dist.init_process_group(backend="nccl" if cuda else "gloo")

    bf16 = a.precision == "bf16" or (a.precision == "auto" and cuda and torch.cuda.is_bf16_supported())
    if bf16 and not cuda:
        bf16 = False  # CPU autocast to bf16 is slow and not what this measures
    layers, d, heads, vocab, seq = SHAPES[a.model]
    torch.manual_seed(a.seed)  # the same initial weights on every rank (DDP also broadcasts rank 0's)
    model = build(layers, d, heads, vocab, seq, init_std=0.02).to(device)  # GPT-2's initial scale
    params = sum(p.numel() for p in model.parameters())
    ddp = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local_rank] if cuda else None) if world > 1 else model
    opt = torch.optim.AdamW(ddp.parameters(), lr=3e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.01)
    gen = torch.Generator(device="cpu").manual_seed(a.seed + rank)  # each rank its own random batches
    batches = [torch.randint(0, vocab, (a.batch, seq + 1), generator=gen) for _ in range(4)]
    batches = [b.to(device) for b in batches]

    if rank == 0:
        nccl = ".".join(map(str, torch.cuda.nccl.version())) if cuda and world > 1 else "-"
        name = torch.cuda.get_device_name(device) if cuda else "cpu"
        print(f"torch_ddp_step: torch {torch.__version__}, {name}, world {world} ({'DDP ' + ('nccl ' + nccl if cuda else 'gloo') if world > 1 else 'single process'}), "
              f"model {a.model} {params / 1e6:.2f} M parameters, batch {a.batch}/process x {seq} tokens, {'bf16 autocast' if bf16 else 'fp32'}", flush=True)

    def sync():
        if cuda:
            torch.cuda.synchronize(device)

    def step(i):
        ids = batches[i % len(batches)]
        opt.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=bf16):
            logits = ddp(ids[:, :-1])
            loss = F.cross_entropy(logits.float().reshape(-1, vocab), ids[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(ddp.parameters(), 1.0)
        opt.step()
        return loss

    for i in range(a.warmup):
        loss = step(i)
        sync()
        if rank == 0:
            print(f"warm-up {i}: loss {loss.item():.4f}", flush=True)

    tokens_per_step = world * a.batch * seq
    rates = []
    for i in range(a.steps):
        sync()
        start = time.perf_counter()
        loss = step(i)
        sync()
        if world > 1:
            dist.barrier()  # the step ends when the slowest rank ends
        elapsed = time.perf_counter() - start
        rates.append(tokens_per_step / elapsed)
        if rank == 0:
            print(step_line(i, rates[-1], loss.item(), elapsed * 1e3), flush=True)

    if rank == 0 and rates:
        peak = torch.cuda.max_memory_allocated(device) / 1e9 if cuda else float("nan")
        print(f"summary: median {statistics.median(rates):.1f} tokens-per-second over {len(rates)} steps, "
              f"peak memory {peak:.2f} GB on rank 0", flush=True)
    if world > 1:
        dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
