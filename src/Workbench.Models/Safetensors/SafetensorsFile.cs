using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Workbench.Models.Safetensors;

/// <summary>Element types the reader understands; every one widens exactly to float64.</summary>
public enum SafeDType { F32, F64, F16, BF16 }

/// <summary>One tensor's header entry: dtype, shape, and its byte range within the data buffer.</summary>
public sealed record SafeTensorInfo(string Name, SafeDType DType, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}

/// <summary>
/// A validated safetensors file: an 8-byte little-endian header length (bounded), a JSON header naming each tensor's
/// dtype, shape and data offsets, then the data buffer. Validation follows the format: known dtypes, offsets inside
/// the buffer, shape × dtype size equal to the byte length, no overlaps and no holes.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>Header size limit (the reference implementation uses 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    readonly byte[] _bytes;
    readonly long _dataStart;

    public string Source { get; }
    public IReadOnlyDictionary<string, SafeTensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }

    SafetensorsFile(byte[] bytes, long dataStart, string source, Dictionary<string, SafeTensorInfo> tensors, Dictionary<string, string> metadata)
    {
        _bytes = bytes; _dataStart = dataStart; Source = source; Tensors = tensors; Metadata = metadata;
    }

    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "no such file");
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OutOfMemoryException)
        {
            throw new ModelFormatException(path, $"cannot read: {ex.Message}");
        }
        return Parse(bytes, path);
    }

    public static SafetensorsFile Parse(byte[] bytes, string source)
    {
        ModelFormatException Bad(string problem) => new(source, $"not a valid safetensors file: {problem}");
        if (bytes.Length < 8) throw Bad($"{bytes.Length} bytes is shorter than the 8-byte header length");
        var n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (n > MaxHeaderBytes) throw Bad($"header length {n} exceeds the {MaxHeaderBytes}-byte limit");
        if ((long)n > bytes.Length - 8) throw Bad($"header length {n} runs past the end of the {bytes.Length}-byte file");
        var dataStart = 8 + (long)n;
        var bufferLength = bytes.Length - dataStart;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(8, (int)n)); }
        catch (JsonException ex) { throw Bad($"header is not JSON ({ex.Message})"); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("header is not a JSON object");
        var tensors = new Dictionary<string, SafeTensorInfo>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var prop in doc.RootElement.EnumerateObject())
        {
            if (prop.Name == "__metadata__")
            {
                if (prop.Value.ValueKind != JsonValueKind.Object) throw Bad("__metadata__ is not an object");
                foreach (var m in prop.Value.EnumerateObject())
                {
                    if (m.Value.ValueKind != JsonValueKind.String) throw Bad($"__metadata__.{m.Name} is not a string");
                    metadata[m.Name] = m.Value.GetString()!;
                }
                continue;
            }
            tensors[prop.Name] = ParseEntry(prop.Name, prop.Value, bufferLength, Bad);
        }
        // No overlaps and no holes: sorted by start, each tensor begins where the previous ended, the last ends the buffer.
        long cursor = 0;
        string? previous = null;
        foreach (var t in tensors.Values.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (t.Begin < cursor) throw Bad($"tensor {t.Name} [{t.Begin}, {t.End}) overlaps tensor {previous}");
            if (t.Begin > cursor) throw Bad($"hole in the data buffer at [{cursor}, {t.Begin}) before tensor {t.Name}");
            cursor = t.End; previous = t.Name;
        }
        if (cursor != bufferLength) throw Bad($"data buffer has {bufferLength} bytes but the tensors cover {cursor}");
        return new SafetensorsFile(bytes, dataStart, source, tensors, metadata);
    }

    static SafeTensorInfo ParseEntry(string name, JsonElement e, long bufferLength, Func<string, ModelFormatException> bad)
    {
        if (e.ValueKind != JsonValueKind.Object) throw bad($"entry {name} is not an object");
        if (!e.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String) throw bad($"tensor {name} has no dtype");
        var dtype = dt.GetString() switch
        {
            "F32" => SafeDType.F32, "F64" => SafeDType.F64, "F16" => SafeDType.F16, "BF16" => SafeDType.BF16,
            var other => throw bad($"tensor {name} has dtype {other}; supported: F32, F64, F16, BF16"),
        };
        if (!e.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array) throw bad($"tensor {name} has no shape array");
        var shape = new List<long>();
        long count = 1;
        foreach (var s in sh.EnumerateArray())
        {
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt64(out var v) || v < 0) throw bad($"tensor {name} has a shape entry that is not a non-negative integer");
            shape.Add(v);
            count = v == 0 ? 0 : (count > long.MaxValue / Math.Max(v, 1) ? throw bad($"tensor {name} shape overflows") : count * v);
        }
        if (!e.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw bad($"tensor {name} has no [begin, end] data_offsets");
        if (!off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw bad($"tensor {name} has data_offsets that are not 0 ≤ begin ≤ end");
        if (end > bufferLength) throw bad($"tensor {name} data_offsets [{begin}, {end}) run past the {bufferLength}-byte data buffer");
        var size = SizeOf(dtype);
        if (count > (end - begin) / size + 1 || count * size != end - begin)
            throw bad($"tensor {name}: shape [{string.Join(", ", shape)}] × {size} bytes ({dtype}) ≠ {end - begin} bytes in data_offsets");
        return new SafeTensorInfo(name, dtype, shape.ToArray(), begin, end);
    }

    public static int SizeOf(SafeDType t) => t switch { SafeDType.F64 => 8, SafeDType.F32 => 4, _ => 2 };

    public SafeTensorInfo Info(string name) =>
        Tensors.TryGetValue(name, out var t) ? t : throw new ModelFormatException(Source, $"missing tensor {name}");

    /// <summary>The tensor widened exactly to float64, row-major; non-finite values are refused with the tensor name.</summary>
    public double[] ReadDouble(string name)
    {
        var t = Info(name);
        var raw = _bytes.AsSpan(checked((int)(_dataStart + t.Begin)), checked((int)(t.End - t.Begin)));
        var result = new double[t.ElementCount];
        switch (t.DType)
        {
            case SafeDType.F64:
                for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadDoubleLittleEndian(raw[(8 * i)..]);
                break;
            case SafeDType.F32:
                for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(4 * i)..]);
                break;
            case SafeDType.F16:
                for (var i = 0; i < result.Length; i++) result[i] = (double)BinaryPrimitives.ReadHalfLittleEndian(raw[(2 * i)..]);
                break;
            case SafeDType.BF16:
                for (var i = 0; i < result.Length; i++)
                    result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(2 * i)..]) << 16);
                break;
        }
        for (var i = 0; i < result.Length; i++)
            if (!double.IsFinite(result[i]))
                throw new ModelFormatException(Source, $"tensor {name} holds a non-finite value ({result[i]}) at flat index {i}");
        return result;
    }

    /// <summary>The tensor as float32 (F64 is rounded to nearest; the others are exact).</summary>
    public float[] ReadSingle(string name)
    {
        var d = ReadDouble(name);
        var f = new float[d.Length];
        for (var i = 0; i < d.Length; i++) f[i] = (float)d[i];
        return f;
    }

    /// <summary>Checks that a tensor exists with the expected shape, naming both shapes when it does not.</summary>
    public SafeTensorInfo Require(string name, params long[] shape)
    {
        var t = Info(name);
        if (!t.Shape.SequenceEqual(shape))
            throw new ModelFormatException(Source, $"tensor {name} has shape {t.ShapeText}, expected [{string.Join(", ", shape)}]");
        return t;
    }
}
