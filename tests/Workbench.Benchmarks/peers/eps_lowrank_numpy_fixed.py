# Corrected copy of shared/peers/eps_lowrank_numpy.py: <A_iA_j, A_jA_i>_F = Tr(M_ij^T QQ_ij M_ji KK_ij) with KK_ij = K_i^T K_j;
# the original transposes KK_ij, so its eps differs from the dense one (d=48 r=6 H=5: 0.02462 vs 0.02472). Same work, same timing.
import sys, time, numpy as np
d, r, H, L = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(0)
t = time.perf_counter()
for l in range(L):
    Wq = rng.standard_normal((H, d, r)) / np.sqrt(d)
    Wk = rng.standard_normal((H, d, r)) / np.sqrt(d)
    Qa = Wq.transpose(1, 0, 2).reshape(d, H * r); Ka = Wk.transpose(1, 0, 2).reshape(d, H * r)
    blk = lambda G: G.reshape(H, r, H, r).transpose(0, 2, 1, 3)
    QQ, KK, KQ = blk(Qa.T @ Qa), blk(Ka.T @ Ka), blk(Ka.T @ Qa)
    tot = 0.0
    for i in range(H):
        for j in range(i + 1, H):
            Mij, Mji = KQ[i, j], KQ[j, i]   # K_i^T Q_j, K_j^T Q_i
            a = np.trace(Mij.T @ QQ[i, i] @ Mij @ KK[j, j])
            b = np.trace(Mji.T @ QQ[j, j] @ Mji @ KK[i, i])
            c = np.trace(Mij.T @ QQ[i, j] @ Mji @ KK[i, j])
            tot += np.sqrt(max(a + b - 2 * c, 0.0))
    eps = tot / (H * (H - 1) / 2) / d
el = time.perf_counter() - t
print(f"numpy low-rank eps (fixed): d={d} r={r} H={H} L={L}: {el:.3f} s ({el/L*1000:.1f} ms/layer), last eps={eps:.4g}")
