using System.Text.Json.Nodes;
using Workbench.Protocols.Cells;
using Workbench.Protocols.Model;
using Workbench.Protocols.Output;
using Workbench.Protocols.Probe;
using Workbench.Protocols.Runs;
using static Workbench.Protocols.Protocols.MarginsProtocol;

namespace Workbench.Protocols.Protocols;

/// <summary>
/// S §11 block cells. (1) A seeded attention + ReLU-MLP block: cells C_{σ,a} visited by Gaussian (Q, K), and the
/// curvature of the block on segments inside one cell, across τ down to the hard limit. (2) On the given model the
/// MLP's gate sign patterns per layer; for SwiGLU (stories260K) and GELU (GPT-2) these are an analogue, not the
/// note's object: SiLU and GELU are smooth, so nothing is piecewise affine there.
/// </summary>
public sealed class CellsProtocol : IProtocol
{
    public static double[] Taus { get; } = [1, 0.3, 0.1, 0.03, 0];
    public const int Samples = 300;
    public string Name => "cells";
    public string Description => "S §11 block cells: cells visited and affine-vs-smooth on a cell (ReLU block), gate sign patterns of the model's MLP";

    public ProtocolResult Run(ProtocolInput input)
    {
        input.Validate();
        var result = new ProtocolResult(Name);
        var block = new ReluAttentionBlock(tokens: 4, dim: 4, hidden: 8, input.Seed);
        var rows = new JsonArray();
        result.Report.AppendLine("# Block cells (S §11)").AppendLine()
            .AppendLine($"Seeded block: 4 tokens, d = 4, ReLU MLP with 8 hidden units, V fixed; {Samples} Gaussian (Q, K). Curvature = |F(x+hu) − 2F(x) + F(x−hu)| / (h²|F(x)|), h = {CellStudy.Step}, on segments that stay inside one cell; 0 means affine. τ = 0 is the hard limit.").AppendLine()
            .AppendLine($"| τ | cells visited | segments inside a cell | median curvature | max curvature | median curvature, margin ≥ {CellStudy.DeepMargin} |").AppendLine("|---|---|---|---|---|---|");
        var curvatures = new List<double>(); var deepCurvatures = new List<double>();
        foreach (var tau in Taus)
        {
            input.Report($"cells: τ = {G(tau)}");
            var r = CellStudy.Run(block, tau, Samples, input.Seed);
            curvatures.Add(r.MedianCurvature);
            deepCurvatures.Add(r.DeepMedianCurvature);
            result.Report.AppendLine($"| {G(tau)} | {r.DistinctCells} | {r.Segments} | {G(r.MedianCurvature)} | {G(r.MaxCurvature)} | {G(r.DeepMedianCurvature)} ({r.DeepSegments} segments) |");
            rows.Add(new JsonObject { ["tau"] = tau, ["cells"] = r.DistinctCells, ["segments"] = r.Segments, ["median_curvature"] = Num(r.MedianCurvature), ["max_curvature"] = Num(r.MaxCurvature), ["deep_median_curvature"] = Num(r.DeepMedianCurvature) });
        }
        result.Summary["relu_block"] = rows;
        result.Array("relu_block_curvature", curvatures.ToArray());
        var positive = Taus.Where(t => t > 0).ToArray();
        result.Plot("relu-block-curvature", Svg.Lines("ReLU block: curvature inside a cell against τ", "τ", "median relative curvature",
            [new("median curvature", positive, curvatures.Take(positive.Length).Select(v => Math.Log10(v)).ToArray(), true), new($"median, margin ≥ {CellStudy.DeepMargin}", positive, deepCurvatures.Take(positive.Length).Select(v => Math.Log10(Math.Max(v, 1e-300))).ToArray(), true)], logX: true), "log10 curvature against τ");
        result.Report.AppendLine("At τ > 0 the block is smooth but not affine on a cell (the softmax curves it). Deep inside cells the curvature dies off like e^{−margin/τ}; near the cell walls it does not shrink as τ → 0 (it grows like 1/τ² at the walls), so \"often affine\" holds only in the hard limit, exactly (here constant, since V is fixed), or approximately for small τ away from the tie set.").AppendLine();

        // The model's own MLP gates.
        result.Report.AppendLine($"## Gate sign patterns of {input.Model.Name}").AppendLine();
        var gates = new JsonArray();
        var distinct = input.LayersInFocus.ToDictionary(l => l, _ => new HashSet<string>());
        var positions = 0;
        foreach (var tokens in input.Prompts)
        {
            var run = input.Model.Run(tokens, new ProbeOptions { CaptureInternals = true });
            positions += tokens.Length;
            foreach (var l in distinct.Keys)
            {
                var pre = run.Internals![l].MlpPre;
                if (pre.Length == 0) continue;
                var hidden = pre.Length / tokens.Length;
                for (var t = 0; t < tokens.Length; t++)
                    distinct[l].Add(new string(pre.AsSpan(t * hidden, hidden).ToArray().Select(v => v > 0 ? '1' : '0').ToArray()));
            }
        }
        var kind = input.Model is Transformer tr ? tr.Weights.Mlp : MlpKind.SwiGlu;
        result.Report.AppendLine(kind switch
        {
            MlpKind.Relu => "ReLU MLP: these sign patterns are the note's activation patterns a.",
            MlpKind.Gelu => "GELU MLP (GPT-2): the sign of GELU's input (c_fc's output, bias included) is an analogue of the ReLU pattern a, not the note's object; GELU is smooth, so the block has no affine cells.",
            _ => "SwiGLU MLP: the sign of the SiLU gate's input is an analogue of the ReLU pattern a, not the note's object; SiLU is smooth, so the block has no affine cells.",
        }).AppendLine()
            .AppendLine("| layer | positions | distinct gate sign patterns |").AppendLine("|---|---|---|");
        foreach (var (l, set) in distinct)
        {
            result.Report.AppendLine($"| {l} | {positions} | {set.Count} |");
            gates.Add(new JsonObject { ["layer"] = l, ["positions"] = positions, ["distinct_patterns"] = set.Count });
        }
        result.Summary["mlp_kind"] = kind.ToString();
        // Only a ReLU MLP has the note's cells; for smooth nonlinearities the sign patterns are an analogue, said in the data too.
        result.Summary["gate_patterns_are"] = kind == MlpKind.Relu ? "activation patterns a (S §11)" : $"an analogue: {kind} is smooth, so the block has no affine cells";
        result.Summary["gate_patterns"] = gates;
        return result;
    }
}
