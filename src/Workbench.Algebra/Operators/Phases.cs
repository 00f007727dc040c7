namespace Workbench.Algebra.Operators;

/// <summary>
/// The note's phase labels (L §5) by ε_ℓ: I "weakly quantum" below <see cref="Low"/>, II "strongly quantum" up to
/// <see cref="High"/> inclusive, III "quantum + topological" above. The note's Jacobi column is not used to
/// label: the Jacobiator of a commutator vanishes identically, so that column only ever shows round-off.
/// </summary>
public sealed record PhaseThresholds(double Low = 0.1, double High = 1.0)
{
    public static PhaseThresholds Note { get; } = new();

    public string Label(double eps)
    {
        if (double.IsNaN(eps)) return "undefined";
        if (eps < Low) return "I";
        return eps <= High ? "II" : "III";
    }
}
