"""Peer for docs/performance/generators.md: patterns + top-2 margins of N samples already in memory, PyTorch CPU.

usage: /usr/bin/python3 generated_torch.py n d N [reps] [threads]
Prints the median samples/s. Same work as the generated batch kernel: scores (scaled), causal mask, argmax (torch's
topk picks among ties arbitrarily; irrelevant for random inputs), margin = top1 - top2 (+inf for a single key).
"""
import sys, time, math
import torch

n, d, N = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
reps = int(sys.argv[4]) if len(sys.argv) > 4 else 7
torch.set_num_threads(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
g = torch.Generator().manual_seed(17)
q = torch.rand(N, n, d, generator=g) * 2 - 1
k = torch.rand(N, n, d, generator=g) * 2 - 1
mask = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
scale = 1.0 / math.sqrt(d)
rates = []
for _ in range(reps):
    t = time.perf_counter()
    s = torch.matmul(q, k.transpose(1, 2)) * scale
    s = s.masked_fill(mask, float("-inf"))
    top = torch.topk(s, 2 if n > 1 else 1, dim=-1)
    pattern = top.indices[..., 0]
    margin = top.values[..., 0] - top.values[..., 1] if n > 1 else torch.full((N, n), float("inf"))
    rates.append(N / (time.perf_counter() - t))
rates.sort()
print(f"torch n={n} d={d} N={N}: {rates[len(rates)//2]/1e6:.2f} M samples/s (median of {reps}, {torch.get_num_threads()} thread(s))")
