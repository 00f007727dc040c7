using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Attention.Io;

/// <summary>
/// NumPy .npy reader and writer: little-endian float32, float64, int32, int64 in C order, format versions 1.0, 2.0
/// and 3.0. Every header field is checked before anything is allocated: the data size the header declares must fit in
/// what the file actually holds, so a corrupt or hostile header cannot trigger a huge allocation.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Largest element count accepted (the .NET array limit for 4-byte items).</summary>
    public const long MaxElements = 0x7FFFFFC7;
    private const int MaxHeaderLength = 1 << 20;

    public static NpyArray Read(string path)
    {
        FileStream stream;
        try { stream = File.OpenRead(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new NpyFormatException(path, e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : $"cannot be opened ({e.Message})");
        }
        using (stream) return Read(stream, path);
    }

    public static NpyArray Read(Stream stream, string name)
    {
        var prefix = new byte[12];
        if (ReadFully(stream, prefix, 0, 8) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new NpyFormatException(name, "not a .npy file (bad magic string)");
        int major = prefix[6], minor = prefix[7];
        if (major is < 1 or > 3 || minor != 0)
            throw new NpyFormatException(name, $"unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are read)");
        int lengthBytes = major == 1 ? 2 : 4;
        if (ReadFully(stream, prefix, 8, lengthBytes) < lengthBytes)
            throw new NpyFormatException(name, "truncated in the header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8)) : BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
        if (headerLength > MaxHeaderLength)
            throw new NpyFormatException(name, $"header length {headerLength} bytes is implausible");
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes, 0, (int)headerLength) < headerLength)
            throw new NpyFormatException(name, "truncated in the header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (dtype, shape) = ParseHeader(header, name);

        long count = 1;
        foreach (var s in shape)
        {
            if (s != 0 && count > MaxElements / s)
                throw new NpyFormatException(name, $"shape {NpyArray.Format(shape)} is absurdly large");
            count *= s;
        }
        if (count > MaxElements) throw new NpyFormatException(name, $"shape {NpyArray.Format(shape)} is absurdly large");
        long bytes = count * NpyArray.ItemSize(dtype);
        if (stream.CanSeek)
        {
            long remaining = stream.Length - stream.Position;
            if (remaining < bytes)
                throw new NpyFormatException(name, $"truncated: header declares {bytes} data bytes for shape {NpyArray.Format(shape)} but the file holds only {remaining}");
            if (remaining > bytes)
                throw new NpyFormatException(name, $"{remaining - bytes} bytes of trailing data after the array");
        }
        Array data = dtype switch
        {
            NpyDType.Float32 => new float[count],
            NpyDType.Float64 => new double[count],
            NpyDType.Int32 => new int[count],
            _ => new long[count],
        };
        var target = AsSpan(data);
        int read = 0;
        while (read < target.Length)
        {
            int got = stream.Read(target[read..]);
            if (got == 0) throw new NpyFormatException(name, $"truncated: {read} of {bytes} data bytes present");
            read += got;
        }
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        return new NpyArray(data, shape);
    }

    public static void Write(string path, NpyArray array)
    {
        using var stream = File.Create(path);
        Write(stream, array);
    }

    public static void Write(string path, Array data, params long[] shape) => Write(path, new NpyArray(data, shape));

    /// <summary>Writes version 1.0 (2.0 when the header outgrows 64 KiB), header padded to a multiple of 64 bytes.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        string shape = array.Shape.Length switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => "(" + string.Join(", ", array.Shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        string dict = $"{{'descr': '{NpyArray.Descr(array.DType)}', 'fortran_order': False, 'shape': {shape}, }}";
        int major = dict.Length + 1 + 10 > ushort.MaxValue ? 2 : 1;
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - prefix - 1) + "\n";
        stream.Write(Magic);
        stream.WriteByte((byte)major);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[4];
        if (major == 1) { BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length); stream.Write(len[..2]); }
        else { BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)header.Length); stream.Write(len); }
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(AsSpan(array.Data));
    }


    private static Span<byte> AsSpan(Array a) => a switch
    {
        float[] f => MemoryMarshal.AsBytes(f.AsSpan()),
        double[] d => MemoryMarshal.AsBytes(d.AsSpan()),
        int[] i => MemoryMarshal.AsBytes(i.AsSpan()),
        long[] l => MemoryMarshal.AsBytes(l.AsSpan()),
        _ => throw new InvalidOperationException(),
    };

    private static (NpyDType, long[]) ParseHeader(string header, string name)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!header.TrimStart().StartsWith('{') || !descr.Success || !fortran.Success || !shape.Success)
            throw new NpyFormatException(name, "malformed header (needs 'descr', 'fortran_order' and 'shape')");
        if (fortran.Groups[1].Value == "True")
            throw new NpyFormatException(name, "Fortran-order arrays are not supported; save with np.ascontiguousarray");
        string d = descr.Groups[1].Value;
        if (d.StartsWith('>'))
            throw new NpyFormatException(name, $"big-endian data ('{d}') is not supported; convert with .astype('<{d[1..]}')");
        NpyDType dtype = d.TrimStart('<', '=', '|') switch
        {
            "f4" => NpyDType.Float32,
            "f8" => NpyDType.Float64,
            "i4" => NpyDType.Int32,
            "i8" => NpyDType.Int64,
            _ => throw new NpyFormatException(name, $"unsupported dtype '{d}' (float32, float64, int32 and int64 are read)"),
        };
        var dims = new List<long>();
        foreach (var part in shape.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            string p = part.TrimEnd('L');
            if (!long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                throw new NpyFormatException(name, $"shape entry '{part}' is not a non-negative integer");
            dims.Add(v);
        }
        if (dims.Count > 32) throw new NpyFormatException(name, $"{dims.Count} dimensions is absurd");
        return (dtype, dims.ToArray());
    }

    private static int ReadFully(Stream s, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int got = s.Read(buffer, offset + total, count - total);
            if (got == 0) break;
            total += got;
        }
        return total;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
