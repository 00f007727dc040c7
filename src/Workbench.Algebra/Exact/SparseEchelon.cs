namespace Workbench.Algebra.Exact;

/// <summary>
/// Exact rank of a set of sparse rational vectors by incremental elimination: each vector is reduced against the
/// pivots kept so far and, if anything is left, becomes a new pivot (keyed by its first nonzero coordinate).
/// Vectors are dictionaries coordinate → value, so C^n's dim(A)^(n+1) coordinates cost only their nonzeros.
/// </summary>
public sealed class SparseEchelon
{
    private readonly Dictionary<int, Dictionary<int, Rational>> _pivots = new();
    private readonly Dictionary<int, int> _created = new();

    public int Rank => _pivots.Count;

    /// <summary>Adds a vector; returns true when it was independent of those added before.</summary>
    public bool Add(Dictionary<int, Rational> vector) => Reduce(new Dictionary<int, Rational>(vector), keep: true);

    /// <summary>True when the vector lies in the span of the vectors added so far.</summary>
    public bool Contains(Dictionary<int, Rational> vector) => !Reduce(new Dictionary<int, Rational>(vector), keep: false);

    private bool Reduce(Dictionary<int, Rational> v, bool keep)
    {
        while (true)
        {
            Prune(v);
            if (v.Count == 0) return false;
            // Eliminate the earliest-created pivot present: a pivot holds no lead of an earlier one, so each step
            // brings in only later leads and the reduction terminates. If no coordinate has a pivot, v is independent.
            var lead = -1;
            var leadAge = int.MaxValue;
            foreach (var key in v.Keys)
                if (_created.TryGetValue(key, out var age) && age < leadAge) (lead, leadAge) = (key, age);
            if (lead < 0)
            {
                if (keep)
                {
                    var first = v.Keys.Min();
                    var inv = Rational.One / v[first];
                    var normalised = v.ToDictionary(p => p.Key, p => p.Value * inv);
                    _pivots[first] = normalised;
                    _created[first] = _created.Count;
                }
                return true;
            }
            var pivot = _pivots[lead];
            var factor = v[lead];
            foreach (var (key, value) in pivot)
            {
                var updated = (v.TryGetValue(key, out var old) ? old : Rational.Zero) - factor * value;
                v[key] = updated;
            }
        }
    }

    private static void Prune(Dictionary<int, Rational> v)
    {
        List<int>? zero = null;
        foreach (var (k, x) in v) if (x.IsZero) (zero ??= []).Add(k);
        if (zero is not null) foreach (var k in zero) v.Remove(k);
    }
}
