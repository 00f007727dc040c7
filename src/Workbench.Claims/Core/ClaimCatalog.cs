using System.Diagnostics;
using System.Reflection;

namespace Workbench.Claims;

/// <summary>
/// The claims the workbench knows: checks grouped by claim id. An open API: a researcher builds a catalog from
/// <see cref="Default"/> plus their own <see cref="ClaimCheck"/> subclasses and statements.
/// </summary>
public sealed class ClaimCatalog
{
    private readonly Dictionary<string, ClaimStatement> _statements;
    private readonly List<ClaimCheck> _checks;

    public ClaimCatalog(IEnumerable<ClaimCheck> checks, IEnumerable<ClaimStatement>? statements = null)
    {
        _checks = checks.ToList();
        _statements = new Dictionary<string, ClaimStatement>(ClaimIndex.All, StringComparer.Ordinal);
        foreach (var s in statements ?? []) _statements[s.Id] = s;
        foreach (var check in _checks)
        {
            if (!_statements.ContainsKey(check.ClaimId))
                throw new ArgumentException($"Check '{check.Name}' names claim '{check.ClaimId}', which has no statement; pass one in 'statements'.");
        }
    }

    /// <summary>Every check in the workbench's own assemblies.</summary>
    public static ClaimCatalog Default { get; } = new(Discover(typeof(ClaimCatalog).Assembly));

    /// <summary>Instantiates every public concrete <see cref="ClaimCheck"/> with a parameterless constructor.</summary>
    public static IEnumerable<ClaimCheck> Discover(params Assembly[] assemblies) =>
        assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && !t.IsAbstract && t.IsPublic && typeof(ClaimCheck).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ClaimCheck)Activator.CreateInstance(t)!);

    public ClaimCatalog With(IEnumerable<ClaimCheck> checks, IEnumerable<ClaimStatement>? statements = null) =>
        new(_checks.Concat(checks), _statements.Values.Concat(statements ?? []));

    public IReadOnlyList<ClaimCheck> Checks => _checks;

    /// <summary>Claim ids that have at least one check, in index order (S before L, then as listed), then user ids.</summary>
    public IReadOnlyList<string> Ids
    {
        get
        {
            var order = ClaimIndex.All.Keys.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);
            return _checks.Select(c => c.ClaimId).Distinct()
                .OrderBy(id => order.TryGetValue(id, out var i) ? i : int.MaxValue).ThenBy(id => id, StringComparer.Ordinal)
                .ToList();
        }
    }

    public ClaimStatement Statement(string id) => _statements[id];

    public IEnumerable<ClaimCheck> ChecksFor(string id) => _checks.Where(c => c.ClaimId == id);

    /// <summary>Runs every check of one claim and combines their findings.</summary>
    public ClaimResult Run(string id, ClaimContext context)
    {
        var statement = Statement(id);
        var results = new List<CheckResult>();
        foreach (var check in ChecksFor(id))
        {
            context.Cancellation.ThrowIfCancellationRequested();
            CheckOutcome outcome;
            try { outcome = check.Run(context); }
            catch (OperationCanceledException) { throw; }
            catch (Exception ex)
            {
                // A crashing check decides nothing; the failure is reported as evidence, never swallowed.
                outcome = CheckOutcome.Of(Finding.Inconclusive, Evidence.Note($"check failed: {ex.GetType().Name}: {ex.Message}"));
            }
            results.Add(new CheckResult(check.Name, check.Setting, outcome));
        }
        return new ClaimResult(id, statement.Where, statement.Statement, VerdictRule.Combine(results.Select(r => r.Outcome.Finding)), results);
    }

    /// <summary>Runs the claims whose id starts with <paramref name="prefix"/> (all when null).</summary>
    public IEnumerable<TimedClaimResult> RunAll(ClaimContext context, string? prefix = null)
    {
        foreach (var id in Ids.Where(id => prefix is null || id.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var watch = Stopwatch.StartNew();
            var result = Run(id, context);
            yield return new TimedClaimResult(result, watch.Elapsed.TotalSeconds);
        }
    }
}
