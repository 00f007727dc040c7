using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Protocols.Output;

/// <summary>
/// What a protocol produces: a JSON summary (the figures a script reads), named float64 arrays (.npy), a Markdown
/// report and its SVG plots. Nothing is written until <see cref="WriteTo"/>, so tests inspect results in memory.
/// </summary>
public sealed class ProtocolResult(string protocol)
{
    public string Protocol { get; } = protocol;
    public JsonObject Summary { get; } = new() { ["protocol"] = protocol };
    public Dictionary<string, (double[] Data, int[] Shape)> Arrays { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Plots { get; } = new(StringComparer.Ordinal);
    public StringBuilder Report { get; } = new();

    public void Array(string name, double[] data, params int[] shape) => Arrays[name] = (data, shape.Length == 0 ? [data.Length] : shape);

    /// <summary>Adds a plot and a Markdown image line pointing at it.</summary>
    public void Plot(string name, string svg, string caption)
    {
        Plots[name] = svg;
        Report.AppendLine($"![{caption}]({name}.svg)").AppendLine();
    }

    /// <summary>Writes summary.json, report.md, {plot}.svg and {array}.npy under <paramref name="directory"/>; returns the files written.</summary>
    public IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Write(string name, byte[] bytes) { var p = Path.Combine(directory, name); File.WriteAllBytes(p, bytes); written.Add(p); }
        Write("summary.json", Encoding.UTF8.GetBytes(Summary.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
        Write("report.md", Encoding.UTF8.GetBytes(Report.ToString()));
        foreach (var (name, svg) in Plots) Write(name + ".svg", Encoding.UTF8.GetBytes(svg));
        foreach (var (name, (data, shape)) in Arrays) Write(name + ".npy", Npy.Encode(data, shape));
        return written;
    }
}
