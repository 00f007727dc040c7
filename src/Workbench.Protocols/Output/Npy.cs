using System.Text;

namespace Workbench.Protocols.Output;

/// <summary>NumPy .npy version 1.0 writer for little-endian float64 arrays (C order), readable by numpy.load.</summary>
public static class Npy
{
    public static byte[] Encode(double[] data, params int[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != data.Length) throw new ArgumentException($"shape ({string.Join(",", shape)}) does not match {data.Length} values");
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({dims}), }}";
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        ms.Write(BitConverter.GetBytes((ushort)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        foreach (var v in data) ms.Write(BitConverter.GetBytes(v));
        return ms.ToArray();
    }
}
