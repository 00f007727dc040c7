using Workbench.Claims;

namespace CustomClaim;

/// <summary>
/// A researcher's own claim, stated and checked outside the workbench: "softmax is invariant under adding a
/// constant to a row". The id (X.…) is the researcher's; the statement is passed to the catalog beside the check.
/// </summary>
public static class SoftmaxShift
{
    public const string Id = "X.softmax-shift";

    public static readonly ClaimStatement Statement =
        new(Id, "my note §1", "softmax(s + c·1) = softmax(s) for every score row s and constant c.");

    /// <summary>The workbench's catalog plus this claim: run it, render it, pin it.</summary>
    public static ClaimCatalog Catalog() => ClaimCatalog.Default.With([new SoftmaxShiftCheck()], [Statement]);

    /// <summary>The function under test: a plain, max-subtracted softmax.</summary>
    public static double[] Softmax(double[] s)
    {
        var max = s.Max();
        var e = s.Select(x => Math.Exp(x - max)).ToArray();
        var sum = e.Sum();
        return e.Select(x => x / sum).ToArray();
    }
}

/// <summary>
/// The numeric check: seeded rows and shifts, the worst difference against a stated tolerance. Its negative
/// control scales the row instead of shifting it, which softmax does NOT ignore: the check must say so.
/// </summary>
public sealed class SoftmaxShiftCheck : ClaimCheck
{
    private const double Tolerance = 1e-12;

    public override string ClaimId => SoftmaxShift.Id;
    public override string Name => "sampled rows and shifts";
    public override string Setting => "rows of length 8, entries uniform in [−5, 5], shifts c uniform in [−50, 50], float64";

    public override CheckOutcome Run(ClaimContext context) => Evaluate(context, (s, c) => s + c, "s + c");

    public override IEnumerable<NegativeControl> NegativeControls =>
    [
        new("scaling instead of shifting: softmax(c·s) = softmax(s)", context => Evaluate(context, (s, c) => s * c, "c·s")),
    ];

    private CheckOutcome Evaluate(ClaimContext context, Func<double, double, double> transform, string form)
    {
        // Seeds come from the context, so the evidence text (and the snapshot) is the same on every run.
        var random = new Random((int)(context.SeedFor(ClaimId) % int.MaxValue));
        var samples = context.Samples(1000);
        var worst = 0.0;
        for (long n = 0; n < samples; n++)
        {
            var row = Enumerable.Range(0, 8).Select(_ => random.NextDouble() * 10 - 5).ToArray();
            var c = random.NextDouble() * 100 - 50;
            var before = SoftmaxShift.Softmax(row);
            var after = SoftmaxShift.Softmax(row.Select(x => transform(x, c)).ToArray());
            worst = Math.Max(worst, before.Zip(after, (a, b) => Math.Abs(a - b)).Max());
        }
        var evidence = Evidence.Numeric($"max |softmax({form}) − softmax(s)|", samples, worst, Tolerance);
        return worst <= Tolerance
            ? CheckOutcome.Of(Finding.SupportsNumerically, evidence)
            : CheckOutcome.Of(Finding.Refutes, Evidence.Counterexample($"softmax({form}) differs from softmax(s) by up to {Fmt.Sig(worst, 2)}"), evidence);
    }
}
