using Workbench.Attention;
using Workbench.Attention.Io;

namespace Workbench.Cli.Commands;

/// <summary>
/// Carries out a <see cref="StrataRequest"/>: reads and checks every input, computes everything, and only then writes,
/// so refused input never leaves a half-written output directory.
/// </summary>
public static class StrataRun
{
    public static StrataSummary Execute(StrataRequest request)
    {
        request.Validate();
        var qa = Npy.Read(request.Q);
        var ka = Npy.Read(request.K);
        var shape = HeadShape.FromDims(qa.Shape, "Q");
        if (!qa.Shape.SequenceEqual(ka.Shape))
            throw new AttentionInputException("K", $"has shape {NpyArray.Format(ka.Shape)} but Q has {NpyArray.Format(qa.Shape)}; they must match");
        var mask = StrataMaskOption.Parse(request.Mask, shape.N);
        mask.RequireNoEmptyRow(shape.N);

        bool single = request.Precision == "float32"
            || (request.Precision == "auto" && qa.DType == NpyDType.Float32 && ka.DType == NpyDType.Float32);
        var result = single
            ? StrataFast.Compute(qa.ToSingle(), ka.ToSingle(), shape, mask, request.Threads)
            : StrataReference.Compute(qa.ToDouble(), ka.ToDouble(), shape, mask);

        var rowShape = qa.Shape[..^1];
        var files = new List<(string Name, NpyArray Array)>
        {
            ("pattern.npy", new NpyArray(result.Pattern, rowShape)),
            ("margin.npy", new NpyArray(result.Margin, rowShape)),
        };
        HardLimitCheck? hardLimit = null;
        if (request.Attention || request.V is not null)
        {
            var dense = StrataDense.Compute(request, qa, ka, shape, mask);
            if (dense.Attention is not null) files.Add(("attn.npy", new NpyArray(dense.Attention, [.. rowShape, shape.N])));
            if (dense.Output is not null) files.Add(("output.npy", new NpyArray(dense.Output, [.. rowShape, dense.ValueWidth])));
            hardLimit = dense.HardLimit;
        }

        var summary = StrataSummary.From(request, qa, mask, single ? "float32" : "float64", result, hardLimit,
            files.Select(f => f.Name).Append(StrataSummary.FileName).ToArray());
        Directory.CreateDirectory(request.Out);
        foreach (var (name, array) in files) Npy.Write(Path.Combine(request.Out, name), array);
        File.WriteAllText(Path.Combine(request.Out, StrataSummary.FileName), summary.ToJson() + "\n");
        return summary;
    }
}
