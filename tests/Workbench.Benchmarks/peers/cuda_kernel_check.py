"""Checks the emitted CUDA kernel on a GPU node that has no .NET, against the CPU backend, by equality.

On any machine with the workbench:
    workbench sample --tokens 4 --head-dim 8 --emit-kernel cuda > k.cu
    workbench sample --tokens 4 --head-dim 8 --samples 1048576 --seed 7 --backend cpu --json > cpu.json
    python3 cuda_kernel_check.py digest cpu.json
On the GPU node (CuPy, which compiles with NVRTC):
    python3 cuda_kernel_check.py run k.cu 7 1048576
Both print: distinct patterns, a SHA-256 prefix of the sorted histogram, near-tie counts for ε = 1e-3, 1e-2, 1e-1
and exact ties; the lines must be equal. `run` then times the kernel alone (no tally) on 2^24-sample launches.
"""
import hashlib, json, sys

import numpy as np


def digest(items, near, ties):
    h = hashlib.sha256("".join(f"{c}:{n}\n" for c, n in sorted(items)).encode()).hexdigest()[:16]
    return f"{len(items)} patterns, histogram {h}, near ties {near}, exact ties {ties}"


def from_json(path):
    o = json.load(open(path))
    items = [(int(k), v) for k, v in o["histogram"].items()]
    return digest(items, [x["count"] for x in o["near_tie_fractions"]], o["exact_ties"])


def run(path, seed, count):
    import cupy as cp
    opts = ("--fmad=false", "--prec-div=true", "--prec-sqrt=true")
    kernel = cp.RawModule(code=open(path).read(), options=opts).get_function("wb_sample")
    launch = lambda n, first, codes, margins: kernel(((n + 127) // 128,), (128,), (np.uint64(seed), np.uint64(first), np.uint32(n), codes, margins))
    codes, margins = cp.empty(count, cp.uint64), cp.empty(count, cp.float32)
    launch(count, 0, codes, margins)
    u, n = np.unique(codes.get(), return_counts=True)
    m = margins.get()
    print(digest(list(zip(u.tolist(), n.tolist())), [int((m <= np.float32(e)).sum()) for e in (1e-3, 1e-2, 1e-1)], int((m == 0).sum())))
    big = 1 << 24
    codes, margins = cp.empty(big, cp.uint64), cp.empty(big, cp.float32)
    start, stop = cp.cuda.Event(), cp.cuda.Event()
    rates = []
    for r in range(6):
        start.record(); launch(big, r * big, codes, margins); stop.record(); stop.synchronize()
        rates.append(big / (cp.cuda.get_elapsed_time(start, stop) / 1e3))
    name = cp.cuda.runtime.getDeviceProperties(0)["name"].decode()
    print(f"{name}: kernel only, median {np.median(rates[1:]) / 1e9:.2f} G samples/s over 5 launches of 2^24")


if __name__ == "__main__":
    if sys.argv[1] == "digest":
        print(from_json(sys.argv[2]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
