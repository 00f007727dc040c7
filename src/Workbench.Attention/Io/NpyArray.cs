namespace Workbench.Attention.Io;

public enum NpyDType { Float32, Float64, Int32, Int64 }

/// <summary>
/// An n-dimensional array as a .npy file holds it: a shape and C-order data of one of the four supported types.
/// <see cref="Data"/> is a float[], double[], int[] or long[] matching <see cref="DType"/>.
/// </summary>
public sealed class NpyArray
{
    public NpyArray(Array data, IReadOnlyList<long> shape)
    {
        DType = data switch
        {
            float[] => NpyDType.Float32,
            double[] => NpyDType.Float64,
            int[] => NpyDType.Int32,
            long[] => NpyDType.Int64,
            _ => throw new ArgumentException($"unsupported element type {data.GetType().GetElementType()}", nameof(data)),
        };
        long count = 1;
        foreach (var s in shape)
        {
            if (s < 0) throw new ArgumentException($"negative dimension in {Format(shape)}", nameof(shape));
            count *= s;
        }
        if (count != data.LongLength) throw new ArgumentException($"shape {Format(shape)} needs {count} entries, data has {data.LongLength}", nameof(data));
        Data = data;
        Shape = shape.ToArray();
    }

    public NpyDType DType { get; }
    public Array Data { get; }
    public long[] Shape { get; }
    public long Count => Data.LongLength;

    public static int ItemSize(NpyDType t) => t is NpyDType.Float32 or NpyDType.Int32 ? 4 : 8;
    public static string Descr(NpyDType t) => t switch
    {
        NpyDType.Float32 => "<f4", NpyDType.Float64 => "<f8", NpyDType.Int32 => "<i4", _ => "<i8",
    };

    /// <summary>The data widened to double (int64 beyond 2^53 loses precision, as in NumPy).</summary>
    public double[] ToDouble() => Data switch
    {
        double[] d => d,
        float[] f => Array.ConvertAll(f, x => (double)x),
        int[] i => Array.ConvertAll(i, x => (double)x),
        long[] l => Array.ConvertAll(l, x => (double)x),
        _ => throw new InvalidOperationException(),
    };

    public float[] ToSingle() => Data switch
    {
        float[] f => f,
        double[] d => Array.ConvertAll(d, x => (float)x),
        int[] i => Array.ConvertAll(i, x => (float)x),
        long[] l => Array.ConvertAll(l, x => (float)x),
        _ => throw new InvalidOperationException(),
    };

    public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(",", shape) + "]";
}
