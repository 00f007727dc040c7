namespace Workbench.Claims;

/// <summary>
/// One check of one claim. A claim may have several checks from different parts of the workbench (a symbolic
/// derivation, a numeric sweep, a trained-model measurement); each lives beside the math it uses, and the
/// catalog groups them by <see cref="ClaimId"/>. Subclasses need a public parameterless constructor to be
/// discovered by <see cref="ClaimCatalog.Discover"/>.
/// </summary>
public abstract class ClaimCheck
{
    /// <summary>An id from claims-index.md (or a user's own id for a user-defined claim).</summary>
    public abstract string ClaimId { get; }

    /// <summary>A short name for the check, e.g. "symbolic derivative" or "sampled margins, causal n = 4".</summary>
    public abstract string Name { get; }

    /// <summary>The setting the statement was checked in (spaces, shapes, distributions, precision).</summary>
    public abstract string Setting { get; }

    public abstract CheckOutcome Run(ClaimContext context);

    /// <summary>
    /// Deliberately wrong variants of the statement (a changed constant, a dropped factor, a reversed inequality).
    /// Each must reach a different finding than <see cref="Run"/>; tests enforce it, so a check that always
    /// agrees cannot pass.
    /// </summary>
    public virtual IEnumerable<NegativeControl> NegativeControls => [];
}

/// <summary>A wrong variant of a check's statement and the code that checks it the same way.</summary>
public sealed record NegativeControl(string Description, Func<ClaimContext, CheckOutcome> Run);
