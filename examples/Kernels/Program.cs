using System.Globalization;
using Kernels.Example;

if (args.Length > 0 && args[0] == "--bench")
    return Bench.Run(args.Length > 1 && int.TryParse(args[1], out var reps) ? reps : 7);

// Uses the generated kernels the way a user would: one sample through the scalar kernels, then a batch.
var random = new Random(20261122);
double[] Gaussian(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() * 2 - 1).ToArray();
string F(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

var q = Gaussian(Causal4x8.Tokens * Causal4x8.HeadDim);
var k = Gaussian(Causal4x8.Tokens * Causal4x8.HeadDim);
var v = Gaussian(Causal4x8.Tokens * Causal4x8.HeadDim);
var pattern = new int[Causal4x8.Tokens];
var margins = new double[Causal4x8.Tokens];
Causal4x8.PatternAndMargins(q, k, pattern, margins);
Console.WriteLine($"Causal4x8: |patterns| = {Causal4x8.PatternSetSize}, admissible keys per row = [{string.Join(", ", Causal4x8.AdmissibleKeys.ToArray())}]");
Console.WriteLine($"  pattern σ = [{string.Join(", ", pattern)}], code {Causal4x8.PatternCode(pattern)}, mixed-radix code {Causal4x8.MixedRadixCode(pattern)}");
Console.WriteLine($"  margins = [{string.Join(", ", margins.Select(F))}]");

var scores = new double[Causal4x8.Tokens * Causal4x8.Tokens];
var weights = new double[scores.Length];
Causal4x8.Scores(q, k, scores);
foreach (var tau in new[] { 1.0, 0.1, 0.01 })
{
    Causal4x8.Softmax(scores, tau, weights);
    double onPattern = Enumerable.Range(0, Causal4x8.Tokens).Average(i => weights[i * Causal4x8.Tokens + pattern[i]]);
    Console.WriteLine($"  τ = {F(tau)}: mean weight on the pattern key {F(onPattern)}");
}
var dydq = new double[(Causal4x8.Tokens * Causal4x8.HeadDim) * (Causal4x8.Tokens * Causal4x8.HeadDim)];
Causal4x8.OutputByQueries(q, k, v, 1.0, dydq);
Console.WriteLine($"  ‖∂Y/∂Q‖_max at τ = 1: {F(dydq.Max(Math.Abs))}");
// Both declared heads at once: [H, n, d_h] inputs, the multi-head pattern tuple.
var qh = Gaussian(Causal4x8.Heads * Causal4x8.Tokens * Causal4x8.HeadDim);
var kh = Gaussian(Causal4x8.Heads * Causal4x8.Tokens * Causal4x8.HeadDim);
var ph = new int[Causal4x8.Heads * Causal4x8.Tokens];
var mh = new double[ph.Length];
var tuple = new ulong[Causal4x8.Heads];
Causal4x8.PatternsAndMarginsPerHead(qh, kh, ph, mh);
Causal4x8.PatternCodes(ph, tuple);
Console.WriteLine($"  {Causal4x8.Heads} heads: pattern tuple ({string.Join(", ", tuple)})");

// Window6x4 in float32.
var qf = Gaussian(Window6x4.Tokens * Window6x4.HeadDim).Select(x => (float)x).ToArray();
var kf = Gaussian(Window6x4.Tokens * Window6x4.HeadDim).Select(x => (float)x).ToArray();
var pw = new int[Window6x4.Tokens];
var mw = new float[Window6x4.Tokens];
Window6x4.PatternAndMargins(qf, kf, pw, mw);
Console.WriteLine($"Window6x4: |patterns| = {Window6x4.PatternSetSize}, σ = [{string.Join(", ", pw)}], mixed-radix code {Window6x4.MixedRadixCode(pw)}");

// Padded8x16: a batch of samples in structure-of-arrays layout, one Vector512 lane per sample.
const int batch = 1000;
int n = Padded8x16.Tokens, d = Padded8x16.HeadDim;
var qs = Gaussian(batch * n * d).Select(x => (float)x).ToArray();
var ks = Gaussian(batch * n * d).Select(x => (float)x).ToArray();
var keyMask = new[] { true, true, true, true, true, true, false, false }; // the last two tokens are padding
var pb = new int[batch * n];
var mb = new float[batch * n];
Padded8x16.PatternsAndMarginsBatch(qs, ks, keyMask, pb, mb);
int onPadding = pb.Count(j => !keyMask[j]);
Console.WriteLine($"Padded8x16: {batch} samples, pattern keys on padding: {onPadding}, smallest margin {F(mb.Min())}");
Console.WriteLine($"  OpenCL source {Padded8x16.OpenClSource.Length} chars, CUDA source {Padded8x16.CudaSource.Length} chars, kernels {Padded8x16.GpuKernelPrefix}_*");
if (onPadding != 0) { Console.Error.WriteLine("a padded key won a row"); return 1; }

try { Padded8x16.PatternsAndMarginsBatch(qs, ks, new bool[8], pb, mb); }
catch (ArgumentException e) { Console.WriteLine($"  fully masked rows are refused: {e.Message}"); }
return 0;
