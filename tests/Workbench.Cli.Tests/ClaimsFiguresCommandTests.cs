using System.Text.Json;
using System.Xml.Linq;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Tests;

public class ClaimsFiguresCommandTests
{
    [Fact]
    public void Writes_three_valid_svg_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wb-figures-{Guid.NewGuid():N}");
        try
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.Equal(0, CommandLine.Run(["figures", "--out", folder, "--json"], stdout, stderr));
            using var doc = JsonDocument.Parse(stdout.ToString());
            var paths = doc.RootElement.GetProperty("figures").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.Equal(3, paths.Count);
            foreach (var path in paths)
            {
                var root = XDocument.Load(path).Root!;
                Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), root.Name);
                Assert.False(string.IsNullOrEmpty(root.Element(XName.Get("title", "http://www.w3.org/2000/svg"))?.Value));
                Assert.True(root.Descendants().Count() > 20, $"{path} has almost no content");
            }
        }
        finally { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void Unwritable_folder_is_refused()
    {
        var blocker = Path.GetTempFileName();
        try
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            Assert.Equal(ExitCodes.BadInput, CommandLine.Run(["figures", "--out", Path.Combine(blocker, "figs")], stdout, stderr));
            Assert.Contains("cannot write figures", stderr.ToString());
        }
        finally { File.Delete(blocker); }
    }
}
