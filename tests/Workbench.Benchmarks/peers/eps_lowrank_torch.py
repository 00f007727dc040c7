# The corrected factored peer (peers/eps_lowrank_numpy_fixed.py) in PyTorch float64, so the Gram products run on
# an optimised BLAS (this machine's numpy links Debian's reference netlib BLAS, which makes the numpy peers slow).
# Usage: eps_lowrank_torch.py d r H L [threads]
import sys, time, torch
d, r, H, L = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(int(sys.argv[5]) if len(sys.argv) > 5 else 2)
g = torch.Generator().manual_seed(0)
t = time.perf_counter()
for l in range(L):
    Wq = torch.randn((H, d, r), generator=g, dtype=torch.float64) / d ** 0.5
    Wk = torch.randn((H, d, r), generator=g, dtype=torch.float64) / d ** 0.5
    Qa = Wq.permute(1, 0, 2).reshape(d, H * r); Ka = Wk.permute(1, 0, 2).reshape(d, H * r)
    blk = lambda G: G.reshape(H, r, H, r).permute(0, 2, 1, 3)
    QQ, KK, KQ = blk(Qa.T @ Qa), blk(Ka.T @ Ka), blk(Ka.T @ Qa)
    tot = 0.0
    for i in range(H):
        for j in range(i + 1, H):
            Mij, Mji = KQ[i, j], KQ[j, i]
            a = torch.trace(Mij.T @ QQ[i, i] @ Mij @ KK[j, j])
            b = torch.trace(Mji.T @ QQ[j, j] @ Mji @ KK[i, i])
            c = torch.trace(Mij.T @ QQ[i, j] @ Mji @ KK[i, j])
            tot += float(torch.sqrt(torch.clamp(a + b - 2 * c, min=0.0)))
    eps = tot / (H * (H - 1) / 2) / d
el = time.perf_counter() - t
print(f"torch low-rank eps: d={d} r={r} H={H} L={L}: {el:.3f} s ({el/L*1000:.1f} ms/layer), last eps={eps:.4g}")
