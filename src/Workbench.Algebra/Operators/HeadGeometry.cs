namespace Workbench.Algebra.Operators;

/// <summary>
/// Exact pairwise quantities of a layer's head operators from the r × r Gram blocks, never forming a d×d matrix.
/// With M_ij = K_iᵀ Q_j, (QQ)_ij = Q_iᵀ Q_j, (KK)_ij = K_iᵀ K_j:
///   ⟨A_i, A_j⟩_F = ⟨QQ_ij, KK_ij⟩,
///   ‖A_i A_j‖²_F = ⟨QQ_ii M_ij, M_ij KK_jj⟩,   ⟨A_i A_j, A_j A_i⟩_F = ⟨M_ij KK_ji, QQ_ij M_ji⟩,
///   ‖[A_i, A_j]‖²_F = ‖A_iA_j‖² + ‖A_jA_i‖² − 2⟨A_iA_j, A_jA_i⟩,
///   Tr [A_i, A_j]² = 2 Tr (M_ij M_ji)² − 2 Tr (M_ii M_ij M_jj M_ji).
/// Cost: one symmetric Gram of the d × (2 H r) stacked factors [Q K], O(H² d r²), then O(H² r³) for the pairs.
/// </summary>
public sealed class HeadGeometry
{
    public int Heads { get; }
    /// <summary>H × H Gram matrix ⟨A_i, A_j⟩_F of span{A_h}.</summary>
    public double[] Inner { get; }
    /// <summary>H × H, symmetric, zero diagonal: ‖[A_i, A_j]‖_F.</summary>
    public double[] CommutatorNorm { get; }
    /// <summary>H × H, symmetric: Tr([A_i, A_j]²).</summary>
    public double[] ActionTerm { get; }

    private HeadGeometry(int heads, double[] inner, double[] comm, double[] action) =>
        (Heads, Inner, CommutatorNorm, ActionTerm) = (heads, inner, comm, action);

    public static HeadGeometry Compute(FactoredHeads heads)
    {
        int h = heads.Heads, r = heads.Rank, w = heads.Width, d = heads.D;
        // One Gram of [Q K]: head block (i, j) of QQ is block (i, j), of KK block (h+i, h+j), of KQ block (h+i, j).
        var g = GramGemm.StackedGramScratch(heads.Q, heads.K, d, w);
        var gw = 2 * w;
        var inner = new double[h * h];
        var comm = new double[h * h];
        var action = new double[h * h];
        var pairs = new List<(int, int)>();
        for (var i = 0; i < h; i++)
        for (var j = i; j < h; j++) pairs.Add((i, j));
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, pairs.Count, Math.Max(1, pairs.Count / 16)), range =>
        {
            var rr = r * r;
            var buf = new double[rr * 13];
            var qqii = buf.AsSpan(0, rr); var qqjj = buf.AsSpan(rr, rr); var qqij = buf.AsSpan(2 * rr, rr);
            var kkii = buf.AsSpan(3 * rr, rr); var kkjj = buf.AsSpan(4 * rr, rr); var kkji = buf.AsSpan(5 * rr, rr);
            var mij = buf.AsSpan(6 * rr, rr); var mji = buf.AsSpan(7 * rr, rr); var mii = buf.AsSpan(8 * rr, rr); var mjj = buf.AsSpan(9 * rr, rr);
            var x = buf.AsSpan(10 * rr, rr); var y = buf.AsSpan(11 * rr, rr); var z = buf.AsSpan(12 * rr, rr);
            for (var p = range.Item1; p < range.Item2; p++)
            {
                var (i, j) = pairs[p];
                Small.Block(g, gw, r, i, j, qqij);
                Small.Block(g, gw, r, h + j, h + i, kkji);
                var ip = TransposedDot(qqij, kkji, r);
                inner[i * h + j] = ip; inner[j * h + i] = ip;
                if (i == j) continue;
                Small.Block(g, gw, r, i, i, qqii); Small.Block(g, gw, r, j, j, qqjj);
                Small.Block(g, gw, r, h + i, h + i, kkii); Small.Block(g, gw, r, h + j, h + j, kkjj);
                Small.Block(g, gw, r, h + i, j, mij); Small.Block(g, gw, r, h + j, i, mji);
                Small.Block(g, gw, r, h + i, i, mii); Small.Block(g, gw, r, h + j, j, mjj);
                Small.Mul(qqii, mij, x, r); Small.Mul(mij, kkjj, y, r);
                var a = Small.Dot(x, y);
                Small.Mul(qqjj, mji, x, r); Small.Mul(mji, kkii, y, r);
                var b = Small.Dot(x, y);
                Small.Mul(mij, kkji, x, r); Small.Mul(qqij, mji, y, r);
                var c = Small.Dot(x, y);
                var norm = Math.Sqrt(Math.Max(a + b - 2 * c, 0.0));
                comm[i * h + j] = norm; comm[j * h + i] = norm;
                Small.Mul(mij, mji, x, r);
                var t1 = Small.TraceOfProduct(x, x, r);
                Small.Mul(mii, mij, y, r); Small.Mul(mjj, mji, z, r);
                var t2 = Small.TraceOfProduct(y, z, r);
                var act = 2 * t1 - 2 * t2;
                action[i * h + j] = act; action[j * h + i] = act;
            }
        });
        GramGemm.Release(g);
        return new HeadGeometry(h, inner, comm, action);
    }

    /// <summary>⟨P, Rᵀ⟩ where R is given as stored (so this is Tr(P R)).</summary>
    private static double TransposedDot(ReadOnlySpan<double> p, ReadOnlySpan<double> r, int n) => Small.TraceOfProduct(p, r, n);
}
