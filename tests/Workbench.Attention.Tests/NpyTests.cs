using System.Text;
using Workbench.Attention.Io;

namespace Workbench.Attention.Tests;

public sealed class NpyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("wb-npy-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathFor(string name) => Path.Combine(dir, name);

    [Fact]
    public void Round_trips_every_supported_type()
    {
        Array[] arrays = [new float[] { 1.5f, -2, float.PositiveInfinity, 0 }, new double[] { Math.PI, -0.0, 1e300, 2 },
            new int[] { int.MinValue, 0, 7, int.MaxValue }, new long[] { long.MinValue, 1, 2, long.MaxValue }];
        foreach (var data in arrays)
        {
            var p = PathFor("a.npy");
            Npy.Write(p, data, 2, 2);
            var back = Npy.Read(p);
            Assert.Equal(new long[] { 2, 2 }, back.Shape);
            Assert.Equal(data, back.Data);
            Assert.Equal(0, new FileInfo(p).Length % 16); // data starts on a 64-byte boundary, as NumPy writes it
        }
    }

    [Fact]
    public void Reads_versions_2_and_3_and_scalar_and_empty_shapes()
    {
        foreach (var major in new byte[] { 2, 3 })
        {
            var p = PathFor($"v{major}.npy");
            WriteRaw(p, major, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", BitConverter.GetBytes(1.0).Concat(BitConverter.GetBytes(2.0)).Concat(BitConverter.GetBytes(3.0)).ToArray());
            Assert.Equal(new double[] { 1, 2, 3 }, Npy.Read(p).Data);
        }
        var s = PathFor("scalar.npy");
        WriteRaw(s, 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(42));
        Assert.Equal(new[] { 42 }, Npy.Read(s).Data);
        var e = PathFor("empty.npy");
        WriteRaw(e, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 5), }", []);
        Assert.Empty(Npy.Read(e).Data.Cast<float>());
    }

    [Fact]
    public void Files_written_by_numpy_are_read_when_numpy_is_available()
    {
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) return; // the other tests cover the format byte for byte
        var p = PathFor("np.npy");
        var psi = new System.Diagnostics.ProcessStartInfo(python, ["-c", $"import numpy as np; np.save(r'{p}', np.arange(24, dtype=np.float32).reshape(2,3,4))"]) { RedirectStandardError = true };
        using var proc = System.Diagnostics.Process.Start(psi)!;
        proc.WaitForExit();
        if (proc.ExitCode != 0) return; // numpy absent
        var a = Npy.Read(p);
        Assert.Equal(new long[] { 2, 3, 4 }, a.Shape);
        Assert.Equal(23f, ((float[])a.Data)[23]);
    }

    [Theory]
    [InlineData("bad magic", "not a .npy file")]
    [InlineData("truncated data", "truncated")]
    [InlineData("declares more", "file holds only")]
    [InlineData("fortran", "Fortran-order")]
    [InlineData("big endian", "big-endian")]
    [InlineData("absurd shape", "absurdly large")]
    [InlineData("bad dtype", "unsupported dtype")]
    [InlineData("bad version", "unsupported .npy format version")]
    [InlineData("garbage header", "malformed header")]
    [InlineData("huge header length", "implausible")]
    [InlineData("negative shape", "not a non-negative integer")]
    [InlineData("trailing", "trailing data")]
    public void Malformed_files_are_refused_naming_the_file_and_problem(string kind, string expected)
    {
        var p = PathFor(kind.Replace(' ', '_') + ".npy");
        byte[] four = new byte[16];
        switch (kind)
        {
            case "bad magic": File.WriteAllBytes(p, Encoding.ASCII.GetBytes("PK\x03\x04 not numpy at all")); break;
            case "truncated data": WriteRaw(p, 1, Header("<f4", "(4,)"), new byte[10]); break;
            case "declares more": WriteRaw(p, 1, Header("<f8", "(1000000, 1000)"), four); break;
            case "fortran": WriteRaw(p, 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", four); break;
            case "big endian": WriteRaw(p, 1, Header(">f4", "(2, 2)"), four); break;
            case "absurd shape": WriteRaw(p, 1, Header("<f4", "(4294967296, 4294967296, 4294967296)"), four); break;
            case "bad dtype": WriteRaw(p, 1, Header("<c16", "(1,)"), four); break;
            case "bad version": WriteRaw(p, 4, Header("<f4", "(4,)"), four); break;
            case "garbage header": WriteRaw(p, 1, "this is not a dict", four); break;
            case "huge header length":
                File.WriteAllBytes(p, [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0x7F]); break;
            case "negative shape": WriteRaw(p, 1, Header("<f4", "(-4,)"), four); break;
            case "trailing": WriteRaw(p, 1, Header("<f4", "(2,)"), four); break;
        }
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(p));
        Assert.Equal(p, e.File);
        Assert.Contains(expected, e.Problem);
    }

    [Fact]
    public void Missing_file_is_refused_naming_it()
    {
        var e = Assert.Throws<NpyFormatException>(() => Npy.Read(PathFor("nope.npy")));
        Assert.Equal("no such file", e.Problem);
    }

    [Fact]
    public void Every_truncation_of_a_valid_file_is_refused_not_crashed()
    {
        var p = PathFor("full.npy");
        Npy.Write(p, new double[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
        var bytes = File.ReadAllBytes(p);
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            using var stream = new MemoryStream(bytes, 0, cut);
            Assert.Throws<NpyFormatException>(() => Npy.Read(stream, "cut"));
        }
    }

    private static string Header(string descr, string shape) => $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";

    private static void WriteRaw(string path, byte major, string header, byte[] data)
    {
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + header.Length + 1 + 63) / 64 * 64;
        var text = header.PadRight(total - prefix - 1) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0]);
        if (major == 1) f.Write(BitConverter.GetBytes((ushort)text.Length));
        else f.Write(BitConverter.GetBytes((uint)text.Length));
        f.Write(Encoding.ASCII.GetBytes(text));
        f.Write(data);
    }
}
