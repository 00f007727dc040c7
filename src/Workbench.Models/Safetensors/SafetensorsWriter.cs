using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Workbench.Models.Safetensors;

/// <summary>
/// Writes float32 or float64 tensors as a safetensors file (tests write their own small checkpoints with it).
/// Tensors are laid out in insertion order with no holes; the header is padded with spaces to a multiple of 8.
/// </summary>
public sealed class SafetensorsWriter
{
    readonly List<(string Name, string DType, long[] Shape, byte[] Data)> _tensors = [];
    readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);

    public SafetensorsWriter Add(string name, float[] data, params long[] shape)
    {
        Check(name, data.Length, shape);
        _tensors.Add((name, "F32", shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray()));
        return this;
    }

    public SafetensorsWriter Add(string name, double[] data, params long[] shape)
    {
        Check(name, data.Length, shape);
        _tensors.Add((name, "F64", shape, MemoryMarshal.AsBytes(data.AsSpan()).ToArray()));
        return this;
    }

    public SafetensorsWriter Metadata(string key, string value) { _metadata[key] = value; return this; }

    static void Check(string name, int length, long[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != length)
            throw new ArgumentException($"tensor {name}: shape [{string.Join(", ", shape)}] does not hold {length} values");
    }

    public byte[] ToBytes()
    {
        var header = new Dictionary<string, object>();
        if (_metadata.Count > 0) header["__metadata__"] = _metadata;
        long offset = 0;
        foreach (var t in _tensors)
        {
            header[t.Name] = new { dtype = t.DType, shape = t.Shape, data_offsets = new[] { offset, offset + t.Data.Length } };
            offset += t.Data.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;
        using var ms = new MemoryStream();
        ms.Write(BitConverter.GetBytes((ulong)padded));
        ms.Write(json);
        for (var i = json.Length; i < padded; i++) ms.WriteByte((byte)' ');
        foreach (var t in _tensors) ms.Write(t.Data);
        return ms.ToArray();
    }

    public void Save(string path) => File.WriteAllBytes(path, ToBytes());
}
