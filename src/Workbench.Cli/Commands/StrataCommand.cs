using System.CommandLine;
using System.Globalization;
using Workbench.Attention;
using Workbench.Attention.Io;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>
/// `workbench strata`: the stratum of every query row of a [n,d], [H,n,d] or [B,H,n,d] batch: its argmax pattern σ
/// and margin m, written as .npy beside a summary.json. float32 inputs run the fused float32 kernel, float64 inputs
/// the float64 reference (override with --precision). A^(τ) (--attn) and the hard-limit check (--v) are float64.
/// </summary>
public sealed class StrataCommand : ICliCommand
{
    /// <summary>A^(τ) is n×n per head; beyond this many entries --attn is refused instead of exhausting memory.</summary>
    public const long MaxAttentionEntries = 1L << 27;

    public Command Build(CliIO io)
    {
        var q = new Option<string>("--q") { Description = "queries, .npy of shape [n,d], [H,n,d] or [B,H,n,d]", Required = true };
        var k = new Option<string>("--k") { Description = "keys, .npy of the same shape as --q", Required = true };
        var v = new Option<string?>("--v") { Description = "values, .npy [...,n,d_v]: also write Y = A^(τ)V and check the hard-limit bound" };
        var mask = new Option<string>("--mask") { Description = "none, causal or window:W (key j admitted for query i iff |i−j| ≤ W)", DefaultValueFactory = _ => "none" };
        var tau = new Option<double>("--tau") { Description = "softmax temperature τ > 0 for --attn and --v", DefaultValueFactory = _ => 1.0 };
        var eps = new Option<double>("--eps") { Description = "near-tie threshold ε on the margin (scores units)", DefaultValueFactory = _ => 1e-6 };
        var precision = new Option<string>("--precision") { Description = "auto (float32 kernel for float32 inputs), float32 or float64", DefaultValueFactory = _ => "auto" };
        var threads = new Option<int>("--threads") { Description = "threads for the float32 kernel", DefaultValueFactory = _ => 2 };
        var attn = new Option<bool>("--attn") { Description = "also write attn.npy, A^(τ) of shape [...,n,n] (float64)" };
        var output = new Option<string>("--out") { Description = "directory for pattern.npy, margin.npy, summary.json", Required = true };
        var json = new Option<bool>("--json") { Description = "print the summary as JSON" };

        var command = new Command("strata", "Argmax patterns and margins of attention scores, per query row");
        foreach (var o in new Option[] { q, k, v, mask, tau, eps, precision, threads, attn, output, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var request = new StrataRequest(
                parse.GetValue(q)!, parse.GetValue(k)!, parse.GetValue(v), parse.GetValue(mask)!, parse.GetValue(tau),
                parse.GetValue(eps), parse.GetValue(precision)!, parse.GetValue(threads), parse.GetValue(attn), parse.GetValue(output)!);
            try
            {
                var summary = StrataRun.Execute(request);
                if (parse.GetValue(json)) io.Out.WriteLine(summary.ToJson());
                else summary.WriteText(io.Out);
                return ExitCodes.Ok;
            }
            catch (NpyFormatException e) { return io.Fail(e.File, e.Problem); }
            catch (AttentionInputException e) { return io.Fail(request.Name(e.Subject), e.Problem); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return io.Fail(request.Out, $"cannot write output ({e.Message})", ExitCodes.Unavailable);
            }
        });
        return command;
    }
}

/// <summary>What the user asked `workbench strata` for, before any file is read.</summary>
public sealed record StrataRequest(string Q, string K, string? V, string Mask, double Tau, double Epsilon,
    string Precision, int Threads, bool Attention, string Out)
{
    /// <summary>Maps the numerics' subject ("Q", "K", "V") to the file the user named, so errors point at it.</summary>
    public string Name(string subject) => subject switch
    {
        "Q" => Q,
        "K" => K,
        "V" => V ?? subject,
        _ => subject,
    };

    public void Validate()
    {
        if (!(Epsilon >= 0) || !double.IsFinite(Epsilon))
            throw new AttentionInputException($"--eps {Epsilon.ToString(CultureInfo.InvariantCulture)}", "the near-tie threshold must be finite and ≥ 0");
        if (Threads is < 1 or > 1024)
            throw new AttentionInputException($"--threads {Threads}", "must be between 1 and 1024");
        if (Precision is not ("auto" or "float32" or "float64"))
            throw new AttentionInputException($"--precision {Precision}", "use auto, float32 or float64");
        Softmax.RequireTemperature(Tau);
    }
}
