#!/usr/bin/env python3
"""Compile the generated CUDA sources on a GPU node and run one against the same operations in Python.

Usage (on a machine with a GPU, CuPy and NVRTC; no .NET needed there):
  1. here: dotnet build examples/Kernels -c Release -p:EmitCompilerGeneratedFiles=true \
             -p:CompilerGeneratedFilesOutputPath=/tmp/kgen
           python3 tests/Workbench.Benchmarks/peers/generated_cuda_check.py extract /tmp/kgen out/cuda
  2. there: python3 tests/Workbench.Benchmarks/peers/generated_cuda_check.py check out/cuda
The snapshot files of tests/Workbench.Generators.Tests are included by `extract` too (Causal3x2 is the one run).
"""
import glob, os, re, sys

def extract(generated, out):
    os.makedirs(out, exist_ok=True)
    here = os.path.dirname(os.path.abspath(__file__))
    snapshots = os.path.join(here, '..', '..', 'Workbench.Generators.Tests', '*.verified.cs')
    n = 0
    for f in glob.glob(os.path.join(generated, '**', '*.g.cs'), recursive=True) + glob.glob(snapshots):
        t = open(f).read()
        m = re.search(r'public const string CudaSource = @"((?:[^"]|"")*)";', t)
        p = re.search(r'public const string GpuKernelPrefix = "([^"]+)";', t)
        if m and p:
            open(os.path.join(out, p.group(1) + '.cu'), 'w').write(m.group(1).replace('""', '"'))
            n += 1
    print(n, 'sources written to', out)

def check(folder):
    import cupy, numpy as np
    ok = 0
    for f in sorted(glob.glob(os.path.join(folder, '*.cu'))):
        src = open(f).read(); prefix = f.split('/')[-1][:-3]
        try:
            mod = cupy.RawModule(code=src, options=('--fmad=false',))
            for k in ('_patterns_margins', '_scores'): mod.get_function(prefix + k)
            print('compiled', prefix); ok += 1
        except Exception as e:
            print('FAILED', prefix, str(e)[:2000])
    print(ok, 'of', len(glob.glob(os.path.join(folder, '*.cu'))), 'compiled')
    # Run wb_causal3x2 (double, n=3, d_h=2, causal) on 1000 samples and compare with the same operations in Python.
    src = open(os.path.join(folder, 'wb_causal3x2.cu')).read()
    mod = cupy.RawModule(code=src, options=('--fmad=false',))
    f = mod.get_function('wb_causal3x2_patterns_margins')
    B, n, d = 1000, 3, 2
    rng = np.random.default_rng(1)
    q = rng.standard_normal(n * d * B); k = rng.standard_normal(n * d * B)
    k[(1 * d + 0) * B:(1 * d + 0) * B + B:4] = k[0:B:4]; k[(1 * d + 1) * B:(1 * d + 1) * B + B:4] = k[(0 * d + 1) * B:(0 * d + 1) * B + B:4]
    gq, gk = cupy.asarray(q), cupy.asarray(k)
    pat = cupy.zeros(n * B, dtype=cupy.int32); mar = cupy.zeros(n * B, dtype=cupy.float64)
    f(((B + 127) // 128,), (128,), (gq, gk, pat, mar, np.int32(B)))
    pat, mar = pat.get(), mar.get()
    scale = 1.0 / np.sqrt(2.0)
    bad = 0
    for b in range(B):
        for i in range(n):
            best = None; second = -np.inf; arg = 0
            for j in range(i + 1):
                acc = q[(i * d) * B + b] * k[(j * d) * B + b]
                for a in range(1, d): acc = acc + q[(i * d + a) * B + b] * k[(j * d + a) * B + b]
                s = scale * acc
                if best is None or s > best:
                    if best is not None: second = best
                    best = s; arg = j
                elif s > second: second = s
            m = np.inf if second == -np.inf else best - second
            if pat[i * B + b] != arg or not (mar[i * B + b] == m or abs(mar[i * B + b] - m) <= 1e-15 * max(1, abs(m))): bad += 1
    print('wb_causal3x2 on the GPU: rows differing from the Python reference:', bad, 'of', n * B)


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'extract': extract(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == 'check': check(sys.argv[2])
    else: sys.exit(__doc__)
