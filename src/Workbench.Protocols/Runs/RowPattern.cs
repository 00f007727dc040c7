using Workbench.Protocols.Probe;

namespace Workbench.Protocols.Runs;

/// <summary>
/// A row's pattern entry σ(i) (the arg-max key of the raw scores among the keys the mask allows), its runner-up,
/// and its margin S_iσ(i) − S_i,runner-up: the distance, in score units, to the tie set of that row. Rows with a
/// single allowed key have no tie set (margin +∞, runner-up −1). Ties are broken toward the smaller key index.
/// </summary>
public readonly record struct RowPattern(int Argmax, int RunnerUp, double Margin)
{
    public static RowPattern Of(ProbeRun run, int layer, int head, int row)
    {
        var T = run.Length;
        var scores = run.Scores[layer][head].AsSpan(row * T, T);
        int best = -1, second = -1;
        for (var j = 0; j < T; j++)
        {
            var s = scores[j];
            if (double.IsNaN(s)) continue;
            if (best < 0 || s > scores[best]) { second = best; best = j; }
            else if (second < 0 || s > scores[second]) second = j;
        }
        return new RowPattern(best, second, second < 0 ? double.PositiveInfinity : scores[best] - scores[second]);
    }
}

/// <summary>Small statistics shared by the protocols.</summary>
public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    public static double Quantile(IEnumerable<double> values, double q)
    {
        var v = values.Where(double.IsFinite).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        var pos = q * (v.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, v.Length - 1);
        return v[lo] + (pos - lo) * (v[hi] - v[lo]);
    }

    /// <summary>Spearman rank correlation (average ranks for ties); NaN with fewer than 3 pairs or a constant side.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var pairs = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        if (pairs.Length < 3) return double.NaN;
        var rx = Ranks(pairs.Select(i => x[i]).ToArray());
        var ry = Ranks(pairs.Select(i => y[i]).ToArray());
        return Pearson(rx, ry);
    }

    public static double Pearson(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average(), sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb); }
        return saa == 0 || sbb == 0 ? double.NaN : sab / Math.Sqrt(saa * sbb);
    }

    private static double[] Ranks(double[] v)
    {
        var order = Enumerable.Range(0, v.Length).OrderBy(i => v[i]).ToArray();
        var ranks = new double[v.Length];
        for (var s = 0; s < order.Length;)
        {
            var e = s;
            while (e + 1 < order.Length && v[order[e + 1]] == v[order[s]]) e++;
            for (var k = s; k <= e; k++) ranks[order[k]] = 0.5 * (s + e);
            s = e + 1;
        }
        return ranks;
    }

    /// <summary>Plug-in entropy in bits of a count table.</summary>
    public static double Entropy(IEnumerable<int> counts)
    {
        var c = counts.Where(n => n > 0).ToArray();
        double total = c.Sum(), h = 0;
        foreach (var n in c) h -= n / total * Math.Log2(n / total);
        return h;
    }

    /// <summary>KL(p‖q) in nats between the softmax distributions of two logit rows.</summary>
    public static double KlFromLogits(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        var lp = LogSoftmax(p); var lq = LogSoftmax(q);
        var kl = 0.0;
        for (var v = 0; v < lp.Length; v++) kl += Math.Exp(lp[v]) * (lp[v] - lq[v]);
        return Math.Max(0, kl);
    }

    public static double[] LogSoftmax(ReadOnlySpan<double> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        var sum = 0.0;
        foreach (var v in logits) sum += Math.Exp(v - max);
        var lse = max + Math.Log(sum);
        var r = new double[logits.Length];
        for (var v = 0; v < r.Length; v++) r[v] = logits[v] - lse;
        return r;
    }
}
