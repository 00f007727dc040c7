using System.Globalization;

namespace Workbench.Claims;

public enum EvidenceKind { Symbolic, Numeric, Counterexample, Note }

/// <summary>
/// One item of evidence. Text must be machine-independent: figures rounded to what the check guarantees, no
/// timings, nothing that depends on SIMD width, core count or an optional GPU, so snapshots are stable.
/// </summary>
public sealed record Evidence(EvidenceKind Kind, string Text, string? Latex = null)
{
    public static Evidence Symbolic(string text, string? latex = null) => new(EvidenceKind.Symbolic, text, latex);
    public static Evidence Counterexample(string text, string? latex = null) => new(EvidenceKind.Counterexample, text, latex);
    public static Evidence Note(string text, string? latex = null) => new(EvidenceKind.Note, text, latex);

    /// <summary>Numeric evidence: what was sampled, how many, the worst error seen and the tolerance it was held to.</summary>
    public static Evidence Numeric(string what, long samples, double worstError, double tolerance) =>
        new(EvidenceKind.Numeric, $"{what}: {samples} samples, worst error {Fmt.Bound(worstError)} (tolerance {Fmt.Sci(tolerance)})");

    public static Evidence Numeric(string text) => new(EvidenceKind.Numeric, text);
}

/// <summary>Formatting that keeps evidence text identical across machines.</summary>
public static class Fmt
{
    /// <summary>A figure to <paramref name="digits"/> significant digits, invariant culture.</summary>
    public static string Sig(double x, int digits = 3)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsPositiveInfinity(x)) return "+inf";
        if (double.IsNegativeInfinity(x)) return "-inf";
        if (x == 0) return "0";
        var text = x.ToString("G" + digits, CultureInfo.InvariantCulture);
        var e = text.IndexOf('E');
        // .NET writes 1.1E-09; evidence uses the shorter 1.1e-9 that the rest of the text uses.
        return e < 0 ? text : text[..e] + "e" + int.Parse(text[(e + 1)..], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Scientific notation with one digit of mantissa, e.g. 1e-12.</summary>
    public static string Sci(double x) => x.ToString("0.#e0", CultureInfo.InvariantCulture);

    /// <summary>
    /// An error bound that does not leak round-off noise into snapshots: below 1e-6 it prints the decade above it
    /// ("&lt; 1e-12"), since round-off and finite-difference noise differ in their last bits between machines and SIMD paths.
    /// </summary>
    public static string Bound(double error)
    {
        if (double.IsNaN(error)) return "NaN";
        if (error == 0) return "0";
        if (error < 1e-6)
        {
            // Round-off (below 1e-12) is one bucket: its exact decade depends on the last bits of exp and the sum order.
            var decade = Math.Max(-12, Math.Ceiling(Math.Log10(error)));
            return "< 1e" + decade.ToString(CultureInfo.InvariantCulture);
        }
        return Sig(error, 2);
    }
}
