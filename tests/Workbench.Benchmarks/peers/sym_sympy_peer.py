# SymPy side of SymbolicBenchmarks: same tasks, medians of several repetitions, peak memory via tracemalloc.
# Run with Debian's python: /usr/bin/python3 tests/Workbench.Benchmarks/peers/sym_sympy_peer.py [--fateman]
import sys, time, statistics, tracemalloc, sympy as sp

def bench(label, f, reps):
    # SymPy caches results: clear the cache before every run, or repeats measure a dictionary lookup.
    times = []
    for _ in range(reps):
        sp.core.cache.clear_cache()
        s = time.perf_counter(); f(); times.append(time.perf_counter() - s)
    sp.core.cache.clear_cache()
    tracemalloc.start(); f(); _, peak = tracemalloc.get_traced_memory(); tracemalloc.stop()
    print(f"{label}: median {statistics.median(times)*1000:.1f} ms over {reps}, peak {peak/2**20:.1f} MiB", flush=True)

x, y, z = sp.symbols('x y z')
bench("expand (x+y+z+1)^20", lambda: sp.expand((x+y+z+1)**20), 5)
def jac(n):
    s = sp.symbols(f's0:{n}'); tau = sp.Symbol('tau', positive=True)
    E = [sp.exp(si/tau) for si in s]; Z = sum(E); A = [e/Z for e in E]
    J = sp.Matrix(n, n, lambda j, l: sp.diff(A[j], s[l]))
    R = sp.Matrix(n, n, lambda j, l: (A[j]*((1 if j == l else 0) - A[l]))/tau)
    assert sp.simplify(J - R) == sp.zeros(n, n)
bench("softmax Jacobian identity n=8", lambda: jac(8), 3)
if "--fateman" in sys.argv:
    f = sp.expand((x+y+z+1)**20)
    bench("fateman f*(f+1) (Poly layer)", lambda: sp.Poly(f, x, y, z) * sp.Poly(f + 1, x, y, z), 3)
