using System.Buffers.Binary;
using System.Text;
using Workbench.Models.Safetensors;

namespace Workbench.Models.Tests;

public class SafetensorsTests
{
    static byte[] Raw(string json, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        return bytes;
    }

    static string Problem(byte[] bytes) => Assert.Throws<ModelFormatException>(() => SafetensorsFile.Parse(bytes, "t.safetensors")).Problem;

    [Fact]
    public void Round_trips_f32_and_f64_with_metadata()
    {
        var bytes = new SafetensorsWriter()
            .Add("a", new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3)
            .Add("b", new[] { Math.PI, -Math.E }, 2)
            .Metadata("n_head", "2").ToBytes();
        var f = SafetensorsFile.Parse(bytes, "t");
        Assert.Equal([2L, 3L], f.Info("a").Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, f.ReadDouble("a"));
        Assert.Equal(new[] { Math.PI, -Math.E }, f.ReadDouble("b"));
        Assert.Equal("2", f.Metadata["n_head"]);
    }

    [Fact]
    public void Decodes_f16_and_bf16_exactly()
    {
        var bytes = Raw("{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}", 8);
        var data = bytes.AsSpan(bytes.Length - 8);
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5);
        BinaryPrimitives.WriteHalfLittleEndian(data[2..], (Half)(-0.25));
        BinaryPrimitives.WriteUInt16LittleEndian(data[4..], 0x3FC0); // bf16 1.5
        BinaryPrimitives.WriteUInt16LittleEndian(data[6..], 0xC040); // bf16 −3
        var f = SafetensorsFile.Parse(bytes, "t");
        Assert.Equal(new[] { 1.5, -0.25 }, f.ReadDouble("h"));
        Assert.Equal(new[] { 1.5, -3.0 }, f.ReadDouble("b"));
    }

    [Fact]
    public void Refuses_header_length_over_the_bound()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue - 3);
        Assert.Contains("exceeds", Problem(bytes));
    }

    [Fact]
    public void Refuses_header_past_end_of_file()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        Assert.Contains("past the end", Problem(bytes));
    }

    [Theory]
    [InlineData("{not json", 0, "not JSON")]
    [InlineData("[1,2]", 0, "not a JSON object")]
    [InlineData("{\"a\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "dtype I8")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", 8, "run past")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "≠ 8 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "non-negative")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "begin ≤ end")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "overlaps")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "hole")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "cover 4")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "no dtype")]
    public void Refuses_malformed_headers(string json, int dataBytes, string expected) =>
        Assert.Contains(expected, Problem(Raw(json, dataBytes)));

    [Fact]
    public void Refuses_non_finite_values_naming_the_tensor()
    {
        var f = SafetensorsFile.Parse(new SafetensorsWriter().Add("w", new[] { 1f, float.NaN }, 2).ToBytes(), "t");
        Assert.Contains("tensor w", Assert.Throws<ModelFormatException>(() => f.ReadDouble("w")).Problem);
    }

    [Fact]
    public void Missing_tensor_is_named() =>
        Assert.Contains("missing tensor zz", Assert.Throws<ModelFormatException>(() =>
            SafetensorsFile.Parse(new SafetensorsWriter().Add("w", new[] { 1f }, 1).ToBytes(), "t").Info("zz")).Problem);
}
