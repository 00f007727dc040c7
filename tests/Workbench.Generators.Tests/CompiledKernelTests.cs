using Workbench.Attention;
using Workbench.Emit;
using Mask = Workbench.Attention.AttentionMask;

namespace Workbench.Generators.Tests;

/// <summary>
/// The generated kernels against the generic float64 numerics of Workbench.Attention on seeded random inputs:
/// every n in 1..8 × d_h in {1, 2, 8} × every mask kind, plus the largest configuration under the unroll limit.
/// Scores are summed in the reference's order, so double scores, patterns and margins must be bit-identical;
/// softmax and Jacobians (derived symbolically, evaluated in another order) must agree within
/// 64·n·ε·max|reference| (ε = 2^−52), the stated ulp-based tolerance.
/// </summary>
public class CompiledKernelTests : IClassFixture<CompiledKernelTests.Grid>
{
    public sealed class Grid
    {
        public static readonly KernelConfig Largest = new("Largest16x2", "Grid", 16, 2, 1, KernelMask.Causal);
        public CompiledKernels Kernels { get; }

        public Grid()
        {
            var configs = new List<KernelConfig>();
            foreach (var n in Enumerable.Range(1, 8))
                foreach (var d in new[] { 1, 2, 8 })
                    foreach (var mask in new[] { KernelMask.None, KernelMask.Causal, KernelMask.Window, KernelMask.Padding })
                        // Derivatives (O(n³ + n²d²) statements) for n·d_h ≤ 32 keep this one compilation within CI's budget.
                        configs.Add(new KernelConfig($"K{n}x{d}{mask}", "Grid", n, d, 1, mask, mask == KernelMask.Window ? 1 : -1, Derivatives: n * d <= 32));
            configs.Add(new KernelConfig("F4x8Causal", "Grid", 4, 8, 1, KernelMask.Causal, Element: KernelElement.Float));
            configs.Add(new KernelConfig("F8x16Padding", "Grid", 8, 16, 1, KernelMask.Padding, Element: KernelElement.Float, Derivatives: false));
            configs.Add(Largest);
            Kernels = new CompiledKernels(configs);
        }
    }

    private readonly CompiledKernels _k;
    public CompiledKernelTests(Grid grid) { _k = grid.Kernels; }

    // .NET's JIT compiles a method of more than 60,000 bytes of IL with MinOpts; the derivative kernels of the larger
    // configurations (Largest16x2's softmax Jacobian was 244 KB as one method) are emitted in parts to stay below it.
    [Fact]
    public void No_generated_method_is_large_enough_for_the_JIT_to_skip_optimising_it()
    {
        const System.Reflection.BindingFlags all = System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly;
        var sizes = _k.Assembly.GetTypes().SelectMany(t => t.GetMethods(all).Select(m => (Name: t.Name + "." + m.Name, Il: m.GetMethodBody()?.GetILAsByteArray()?.Length ?? 0))).ToList();
        Assert.Contains(sizes, s => s.Name.StartsWith("Largest16x2.SoftmaxJacobianPart", StringComparison.Ordinal));
        var largest = sizes.MaxBy(s => s.Il);
        Assert.True(largest.Il < 60_000, $"{largest.Name}: {largest.Il} bytes of IL");
    }

    private static Mask ReferenceMask(KernelConfig c, bool[] keys) => c.Mask switch
    {
        KernelMask.Causal => Mask.Causal,
        KernelMask.Window => Mask.Window(c.Window),
        KernelMask.Padding => Mask.Padding(keys),
        _ => Mask.None,
    };

    private static double[] Gaussian(Random r, int count)
    {
        var x = new double[count];
        for (int i = 0; i < count; i++) x[i] = Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
        return x;
    }

    private static bool[] KeyMask(Random r, int n)
    {
        var keys = new bool[n];
        for (int j = 0; j < n; j++) keys[j] = r.NextDouble() < 0.7;
        keys[r.Next(n)] = true; // never a fully masked row: that case has its own test
        return keys;
    }

    /// <summary>|generated − reference| ≤ 64·n·ε·bound, bound = the magnitude of the terms summed (not of the result).</summary>
    private static void Close(double[] expected, double[] actual, int n, string what, double bound = 0)
    {
        double scale = Math.Max(bound, expected.Select(Math.Abs).DefaultIfEmpty(0).Max());
        double tol = 64.0 * n * Math.Pow(2, -52) * Math.Max(scale, 1e-300);
        for (int t = 0; t < expected.Length; t++)
            Assert.True(Math.Abs(expected[t] - actual[t]) <= tol, $"{what}[{t}]: generated {actual[t]:R}, reference {expected[t]:R}, tolerance {tol:E2}");
    }

    private static double[] Flatten(double[,] m) => m.Cast<double>().ToArray();

    [Fact]
    public void Double_grid_matches_the_generic_numerics()
    {
        foreach (var c in _k.Configs.Where(c => c.Element == KernelElement.Double))
        {
            int n = c.Tokens, d = c.HeadDim;
            var r = new Random(1000 * n + 10 * d + (int)c.Mask);
            for (int trial = 0; trial < 3; trial++)
            {
                var q = Gaussian(r, n * d); var k = Gaussian(r, n * d); var v = Gaussian(r, n * d);
                var keys = c.Mask == KernelMask.Padding ? KeyMask(r, n) : Enumerable.Repeat(true, n).ToArray();
                var mask = ReferenceMask(c, keys);
                double tau = 0.5 + r.NextDouble();

                var s = new double[n * n];
                _k.Call(c, "Scores", q, k, keys, s);
                var sRef = Scores.Head(q, k, n, d, mask);
                Assert.Equal(sRef, s); // bit-identical: same products, same summation order

                var p = new int[n]; var margins = new double[n];
                _k.Call(c, "Patterns", q, k, keys, p, margins);
                for (int i = 0; i < n; i++)
                {
                    var row = RowStratum.Of(sRef.AsSpan(i * n, n), i);
                    Assert.Equal(row.Pattern, p[i]);
                    Assert.Equal(row.Margin, margins[i]);
                }
                var code = (ulong)_k.Call(c, "Code", p)!;
                Assert.Equal(PatternCode.Encode(p, n), new System.Numerics.BigInteger(code));
                if (c.Mask != KernelMask.Padding)
                {
                    var mixed = (ulong)_k.Call(c, "MixedRadix", p)!;
                    Assert.True(new System.Numerics.BigInteger(mixed) < PatternSets.Count(n, mask), $"{c.TypeName}: mixed-radix code {mixed} outside the pattern set");
                    Assert.Equal(PatternSets.Count(n, mask).ToString(), (string)_k.Call(c, "PatternSetSize")!);
                }

                var a = new double[n * n];
                _k.Call(c, "Softmax", s, tau, a);
                Close(Softmax.Attention(q, k, n, d, mask, tau), a, n, $"{c.TypeName} softmax");

                if (!c.Derivatives) continue;
                var jac = new double[n * n * n];
                _k.Call(c, "Jacobian", s, tau, jac);
                for (int i = 0; i < n; i++)
                    Close(Flatten(Jacobians.Softmax(sRef.AsSpan(i * n, n), tau)), jac.AsSpan(i * n * n, n * n).ToArray(), n, $"{c.TypeName} softmax Jacobian row {i}", 1 / tau);

                // The symbolic derivative sums terms of size a/τ that cancel, so errors scale with these terms.
                double bound = n * v.Max(Math.Abs) * q.Concat(k).Max(Math.Abs) / tau;
                var byQ = new double[n * d * n * d];
                _k.Call(c, "ByQueries", q, k, v, keys, tau, byQ);
                Close(Flatten(Jacobians.OutputByQueries(q, k, v, n, d, d, mask, tau)), byQ, n * d, $"{c.TypeName} ∂Y/∂Q", bound);
                var byK = new double[n * d * n * d];
                _k.Call(c, "ByKeys", q, k, v, keys, tau, byK);
                Close(Flatten(Jacobians.OutputByKeys(q, k, v, n, d, d, mask, tau)), byK, n * d, $"{c.TypeName} ∂Y/∂K", bound);
            }
        }
    }

    [Fact]
    public void Output_Jacobians_agree_with_finite_differences()
    {
        var c = _k.Configs.Single(x => x.TypeName == "K3x2Causal");
        var r = new Random(7);
        var q = Gaussian(r, 6); var k = Gaussian(r, 6); var v = Gaussian(r, 6);
        const double tau = 0.8, h = 1e-6;
        var byQ = new double[36];
        _k.Call(c, "ByQueries", q, k, v, new[] { true, true, true }, tau, byQ);
        for (int col = 0; col < 6; col++)
        {
            var qp = (double[])q.Clone(); qp[col] += h;
            var qm = (double[])q.Clone(); qm[col] -= h;
            var yp = Jacobians.Output(qp, k, v, 3, 2, 2, Mask.Causal, tau);
            var ym = Jacobians.Output(qm, k, v, 3, 2, 2, Mask.Causal, tau);
            for (int row = 0; row < 6; row++)
                Assert.True(Math.Abs((yp[row] - ym[row]) / (2 * h) - byQ[row * 6 + col]) < 1e-7, $"∂Y[{row}]/∂Q[{col}]");
        }
    }

    [Fact]
    public void Batch_entry_point_equals_the_scalar_kernel_lane_by_lane()
    {
        foreach (var c in _k.Configs.Where(c => c.TypeName is "K4x8Causal" or "K8x8Padding" or "F4x8Causal" or "F8x16Padding" or "Largest16x2" or "K1x1None"))
        {
            int n = c.Tokens, d = c.HeadDim, batch = 37; // two or four full vectors plus a scalar tail
            bool single = c.Element == KernelElement.Float;
            var r = new Random(n * 31 + d);
            var keys = c.Mask == KernelMask.Padding ? KeyMask(r, n) : Enumerable.Repeat(true, n).ToArray();
            var q = Gaussian(r, batch * n * d); var k = Gaussian(r, batch * n * d);
            var p = new int[batch * n];
            object soaQ = single ? q.Select(x => (float)x).ToArray() : q, soaK = single ? k.Select(x => (float)x).ToArray() : k;
            object margins = single ? new float[batch * n] : new double[batch * n];
            _k.Call(c, "Batch", soaQ, soaK, keys, p, margins);
            for (int b = 0; b < batch; b++)
            {
                // Gather sample b into row-major arrays and run the scalar kernel.
                object qs, ks, ms;
                if (single)
                {
                    var fq = (float[])soaQ; var fk = (float[])soaK;
                    qs = Enumerable.Range(0, n * d).Select(e => fq[e * batch + b]).ToArray();
                    ks = Enumerable.Range(0, n * d).Select(e => fk[e * batch + b]).ToArray();
                    ms = new float[n];
                }
                else
                {
                    qs = Enumerable.Range(0, n * d).Select(e => q[e * batch + b]).ToArray();
                    ks = Enumerable.Range(0, n * d).Select(e => k[e * batch + b]).ToArray();
                    ms = new double[n];
                }
                var ps = new int[n];
                _k.Call(c, "Patterns", qs, ks, keys, ps, ms);
                for (int i = 0; i < n; i++)
                {
                    Assert.Equal(ps[i], p[i * batch + b]);
                    if (single) Assert.Equal(((float[])ms)[i], ((float[])margins)[i * batch + b]);
                    else Assert.Equal(((double[])ms)[i], ((double[])margins)[i * batch + b]);
                }
                if (!single) continue;
                // float32 against the float64 reference: same pattern wherever the reference margin clears float rounding.
                var qd = ((float[])qs).Select(x => (double)x).ToArray(); var kd = ((float[])ks).Select(x => (double)x).ToArray();
                var sRef = Scores.Head(qd, kd, n, d, ReferenceMask(c, keys));
                for (int i = 0; i < n; i++)
                {
                    var row = RowStratum.Of(sRef.AsSpan(i * n, n), i);
                    double tol = 8.0 * d * Math.Pow(2, -23) * qd.Concat(kd).Max(Math.Abs) * qd.Concat(kd).Max(Math.Abs);
                    if (row.Margin > tol) Assert.Equal(row.Pattern, ps[i]);
                    if (!double.IsPositiveInfinity(row.Margin)) Assert.True(Math.Abs(row.Margin - ((float[])ms)[i]) <= 2 * tol, $"{c.TypeName} margin row {i}");
                }
            }
        }
    }

    /// <summary>
    /// The Vector256 loop (chosen at run time without AVX-512) and the scalar form, forced through the internal width
    /// switch so that this AVX-512 machine runs them too, against the scalar kernel sample by sample (bit-identical).
    /// batch = 37: 4 or 9 full 256-bit vectors plus a scalar tail.
    /// </summary>
    [Fact]
    public void Vector256_and_scalar_batch_paths_equal_the_scalar_kernel()
    {
        foreach (var c in _k.Configs.Where(c => c.TypeName is "K4x8Causal" or "K8x8Padding" or "K5x2Window" or "F4x8Causal" or "F8x16Padding" or "Largest16x2" or "K1x1None"))
        {
            int n = c.Tokens, d = c.HeadDim, batch = 37;
            bool single = c.Element == KernelElement.Float;
            var r = new Random(n * 17 + d);
            var keys = c.Mask == KernelMask.Padding ? KeyMask(r, n) : Enumerable.Repeat(true, n).ToArray();
            var q = Gaussian(r, batch * n * d); var k = Gaussian(r, batch * n * d);
            // Exact ties in every third sample (key 1 repeats key 0), so the lowest-index rule is exercised per lane.
            for (int b = 0; b < batch && n > 1; b += 3)
                for (int a = 0; a < d; a++) k[(1 * d + a) * batch + b] = k[(0 * d + a) * batch + b];
            object soaQ = single ? q.Select(x => (float)x).ToArray() : q, soaK = single ? k.Select(x => (float)x).ToArray() : k;
            foreach (var bits in new[] { 256, 0 })
            {
                var p = new int[batch * n];
                object margins = single ? new float[batch * n] : new double[batch * n];
                _k.Call(c, "BatchWidth", soaQ, soaK, keys, p, margins, bits);
                for (int b = 0; b < batch; b++)
                {
                    object qs = single ? Enumerable.Range(0, n * d).Select(e => ((float[])soaQ)[e * batch + b]).ToArray() : Enumerable.Range(0, n * d).Select(e => q[e * batch + b]).ToArray();
                    object ks = single ? Enumerable.Range(0, n * d).Select(e => ((float[])soaK)[e * batch + b]).ToArray() : Enumerable.Range(0, n * d).Select(e => k[e * batch + b]).ToArray();
                    object ms = single ? new float[n] : new double[n];
                    var ps = new int[n];
                    _k.Call(c, "Patterns", qs, ks, keys, ps, ms);
                    for (int i = 0; i < n; i++)
                    {
                        Assert.True(ps[i] == p[i * batch + b], $"{c.TypeName} width {bits}: sample {b} row {i} pattern {p[i * batch + b]}, scalar {ps[i]}");
                        long expected = single ? BitConverter.SingleToInt32Bits(((float[])ms)[i]) : BitConverter.DoubleToInt64Bits(((double[])ms)[i]);
                        long actual = single ? BitConverter.SingleToInt32Bits(((float[])margins)[i * batch + b]) : BitConverter.DoubleToInt64Bits(((double[])margins)[i * batch + b]);
                        Assert.True(expected == actual, $"{c.TypeName} width {bits}: sample {b} row {i} margin differs");
                    }
                }
            }
        }
        var any = _k.Configs[0];
        int chosen = (int)_k.Call(any, "BatchVectorBits")!;
        int expectedBits = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated || System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? 512
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated || System.Runtime.Intrinsics.X86.Avx2.IsSupported ? 256 : 0;
        Assert.Equal(expectedBits, chosen);
        Assert.Throws<ArgumentOutOfRangeException>(() => _k.Call(any, "BatchWidth", new double[0], new double[0], new bool[any.Tokens], new int[0], new double[0], 128));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_message()
    {
        var c = _k.Configs.Single(x => x.TypeName == "K3x2Padding");
        var e = Assert.Throws<ArgumentException>(() => _k.Call(c, "Patterns", new double[6], new double[6], new[] { false, false, false }, new int[3], new double[3]));
        Assert.Contains("every key is masked", e.Message);
        e = Assert.Throws<ArgumentException>(() => _k.Call(c, "Patterns", new double[5], new double[6], new[] { true, true, true }, new int[3], new double[3]));
        Assert.Contains("q holds 5 entries, expected 6", e.Message);
        var nan = new double[6]; nan[2] = double.NaN;
        e = Assert.Throws<ArgumentException>(() => _k.Call(c, "Patterns", nan, new double[6], new[] { true, true, true }, new int[3], new double[3]));
        Assert.Contains("not finite", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => _k.Call(c, "Softmax", new double[9], 0.0, new double[9]));
        var causal = _k.Configs.Single(x => x.TypeName == "K3x2Causal");
        Assert.Throws<ArgumentOutOfRangeException>(() => _k.Call(causal, "MixedRadix", new[] { 1, 0, 0 }));
    }
}
