using System.Runtime.InteropServices;
using System.Text;

namespace Workbench.Models.Capture;

/// <summary>
/// Minimal .npy (format 1.0) writer for captured activations: little-endian float64 ('&lt;f8') or int32 ('&lt;i4'),
/// C order, header padded to a multiple of 64 bytes. Kept here until the attention area's canonical reader/writer
/// is merged; the files it writes are plain NumPy files (`numpy.load` reads them).
/// </summary>
public static class NpyWriter
{
    public static void Write(string path, ReadOnlySpan<double> data, ReadOnlySpan<int> shape) =>
        Write(path, "<f8", MemoryMarshal.AsBytes(data), data.Length, shape);

    public static void Write(string path, ReadOnlySpan<int> data, ReadOnlySpan<int> shape) =>
        Write(path, "<i4", MemoryMarshal.AsBytes(data), data.Length, shape);

    static void Write(string path, string descr, ReadOnlySpan<byte> bytes, int count, ReadOnlySpan<int> shape)
    {
        long product = 1;
        foreach (var s in shape) product *= s;
        if (product != count) throw new ArgumentException($"shape ({string.Join(", ", shape.ToArray())}) does not hold {count} values");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.ToArray());
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': ({dims}), }}";
        var headerLength = 10 + dict.Length + 1;
        var padded = (headerLength + 63) / 64 * 64;
        var header = dict + new string(' ', padded - headerLength) + "\n";
        using var fs = File.Create(path);
        fs.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        var len = (ushort)header.Length;
        fs.Write([(byte)(len & 0xFF), (byte)(len >> 8)]);
        fs.Write(Encoding.ASCII.GetBytes(header));
        fs.Write(bytes);
    }
}
