using System.Runtime.CompilerServices;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace Workbench.Testing;

/// <summary>
/// Snapshot assertions with Verify's file conventions: <c>{Class}.{Method}.verified.{ext}</c> beside the test
/// source, <c>.received.{ext}</c> written on a mismatch, a line diff in the failure message. Set
/// <c>WORKBENCH_ACCEPT=1</c> (or Verify's own <c>DiffEngine_Disabled</c>-independent habit of copying the received
/// file over the verified one) to accept new output.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "WORKBENCH_ACCEPT";

    /// <summary>Compares <paramref name="text"/> with <c>{Class}.{Method}[#{name}].verified.{extension}</c>.</summary>
    /// <param name="name">Optional suffix for several snapshots in one test (Verify writes them as <c>#name</c>).</param>
    public static void Verify(
        string text,
        string? name = null,
        string extension = "txt",
        [CallerFilePath] string sourceFile = "",
        [CallerMemberName] string method = "")
    {
        sourceFile = SourcePath.Resolve(sourceFile);
        var directory = Path.GetDirectoryName(sourceFile)
            ?? throw new InvalidOperationException("The caller's source path is unknown; snapshots live beside the test file.");
        var className = Path.GetFileNameWithoutExtension(sourceFile);
        var stem = name is null ? $"{className}.{method}" : $"{className}.{method}#{name}";
        VerifyFile(text, Path.Combine(directory, $"{stem}.verified.{extension}"), Path.Combine(directory, $"{stem}.received.{extension}"));
    }

    public static void VerifyFile(string text, string verifiedPath, string receivedPath)
    {
        var actual = Normalize(text);
        var expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        if (Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true")
        {
            File.WriteAllText(verifiedPath, actual);
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual);
        var message = expected is null
            ? $"No verified snapshot yet: {Path.GetFileName(verifiedPath)}. Received output written to {Path.GetFileName(receivedPath)}; " +
              $"review it and rename it to .verified, or rerun with {AcceptVariable}=1.\n{actual}"
            : $"Snapshot mismatch for {Path.GetFileName(verifiedPath)} (received output in {Path.GetFileName(receivedPath)}; " +
              $"accept with {AcceptVariable}=1):\n{Diff(expected, actual)}";
        throw new XunitException(message);
    }

    /// <summary>Snapshots are compared with LF line endings and no trailing newline, so checkouts on any OS agree.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n');

    private static string Diff(string expected, string actual)
    {
        var model = new InlineDiffBuilder(new DiffPlex.Differ()).BuildDiffModel(expected, actual);
        var lines = new List<string>();
        var shown = 0;
        foreach (var line in model.Lines)
        {
            var prefix = line.Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => null,
            };
            if (prefix is null) continue;
            if (++shown > 200) { lines.Add("  … (diff truncated)"); break; }
            lines.Add(prefix + line.Text);
        }
        return string.Join("\n", lines);
    }
}
