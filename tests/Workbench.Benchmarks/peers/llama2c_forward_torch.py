#!/usr/bin/env python3
"""PyTorch peer for ForwardBenchmarks: the llama2.c architecture with its own loader of the .bin, KV cache,
one position per step for a batch of sequences (the same decode workload the C# benchmark times).

usage: /usr/bin/python3 llama2c_forward_torch.py MODEL.bin [--batch 32] [--positions 128] [--reps 5] [--threads 2]
Prints one line per batch size: median tokens/s over reps, and a logit checksum to compare with the C# run.
"""
import argparse, struct, time
import numpy as np, torch

def load(path):
    raw = open(path, 'rb').read()
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = struct.unpack('<7i', raw[:28])
    shared = vocab > 0; vocab = abs(vocab)
    f = np.frombuffer(raw, dtype='<f4', offset=28)
    hd = dim // heads; kvd = kv_heads * hd; at = 0
    def take(*shape):
        nonlocal at
        n = int(np.prod(shape)); t = torch.from_numpy(f[at:at + n].reshape(shape).copy()); at += n; return t
    w = dict(emb=take(vocab, dim), rms_att=take(layers, dim), wq=take(layers, dim, dim), wk=take(layers, kvd, dim),
             wv=take(layers, kvd, dim), wo=take(layers, dim, dim), rms_ffn=take(layers, dim), w1=take(layers, hidden, dim),
             w2=take(layers, dim, hidden), w3=take(layers, hidden, dim), rms_final=take(dim),
             cos=take(seq_len, hd // 2), sin=take(seq_len, hd // 2))
    w['cls'] = w['emb'] if shared else take(vocab, dim)
    assert 28 + 4 * at == len(raw), 'sizes do not add up'
    return (dim, hidden, layers, heads, kv_heads, vocab, seq_len), w

def rmsnorm(x, g): return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5) * g

def rope(x, cos, sin):  # x [B, heads, hd], adjacent pairs; cos/sin [hd/2] (all sequences at one position)
    a, b = x[..., 0::2], x[..., 1::2]
    c, s = cos.reshape(1, 1, -1), sin.reshape(1, 1, -1)
    return torch.stack((a * c - b * s, a * s + b * c), dim=-1).flatten(-2)

def step(cfg, w, cache_k, cache_v, tok, pos):
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = cfg
    hd = dim // heads; B = tok.shape[0]; rep = heads // kv_heads
    x = w['emb'][tok]
    cos, sin = w['cos'][pos], w['sin'][pos]
    for l in range(layers):
        h = rmsnorm(x, w['rms_att'][l])
        q = rope((h @ w['wq'][l].T).view(B, heads, hd), cos, sin)
        k = rope((h @ w['wk'][l].T).view(B, kv_heads, hd), cos, sin)
        v = (h @ w['wv'][l].T).view(B, kv_heads, hd)
        cache_k[l][:, pos] = k; cache_v[l][:, pos] = v
        K = cache_k[l][:, :pos + 1].repeat_interleave(rep, dim=2)  # [B, T, heads, hd]
        V = cache_v[l][:, :pos + 1].repeat_interleave(rep, dim=2)
        att = torch.einsum('bhd,bthd->bht', q, K) / hd ** 0.5
        z = torch.einsum('bht,bthd->bhd', att.softmax(-1), V).reshape(B, dim)
        x = x + z @ w['wo'][l].T
        h = rmsnorm(x, w['rms_ffn'][l])
        x = x + (torch.nn.functional.silu(h @ w['w1'][l].T) * (h @ w['w3'][l].T)) @ w['w2'][l].T
    return rmsnorm(x, w['rms_final']) @ w['cls'].T

def run(cfg, w, batch, positions):
    dim, hidden, layers, heads, kv_heads, vocab, seq_len = cfg
    hd = dim // heads
    ck = [torch.zeros(batch, seq_len, kv_heads, hd) for _ in range(layers)]
    cv = [torch.zeros(batch, seq_len, kv_heads, hd) for _ in range(layers)]
    b = torch.arange(batch)
    for p in range(positions):
        tok = (b * 31 + p * 17) % vocab  # the same token grid as the C# benchmark
        logits = step(cfg, w, ck, cv, tok, p)
    return logits

if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('model'); ap.add_argument('--batch', type=int, nargs='+', default=[1, 32])
    ap.add_argument('--positions', type=int, default=128); ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg, w = load(a.model)
    with torch.inference_mode():
        for batch in a.batch:
            run(cfg, w, batch, 8)  # warm-up
            rates = []
            for _ in range(a.reps):
                t0 = time.perf_counter(); logits = run(cfg, w, batch, a.positions); dt = time.perf_counter() - t0
                rates.append(batch * a.positions / dt)
            print(f'torch batch={batch} positions={a.positions} threads={a.threads} tokens/s median={np.median(rates):.0f} '
                  f'all={[round(r) for r in rates]} checksum={logits[:, :8].sum().item():.4f}')
