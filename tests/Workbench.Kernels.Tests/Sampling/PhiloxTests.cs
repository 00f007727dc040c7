using Workbench.Kernels.Sampling;

namespace Workbench.Kernels.Tests.Sampling;

public class PhiloxTests
{
    // Known-answer vectors of Random123's kat_vectors for philox4x32_10: a shared bug in our backends cannot pass these.
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u, 0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void Known_answer_vectors(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, uint r0, uint r1, uint r2, uint r3)
    {
        Assert.Equal((r0, r1, r2, r3), Philox.Block(c0, c1, c2, c3, k0, k1));
    }

    [Avx512Fact]
    public void Vector_philox_matches_scalar_in_every_lane()
    {
        var lo = new uint[16]; var hi = new uint[16];
        for (var l = 0; l < 16; l++) { lo[l] = 0xFFFFFFF8u + (uint)l; hi[l] = (uint)(7 + (l >= 8 ? 1 : 0)); }
        var c0 = System.Runtime.Intrinsics.Vector512.Create(3u);
        var c1 = System.Runtime.Intrinsics.Vector512<uint>.Zero;
        var c2 = System.Runtime.Intrinsics.Vector512.Create<uint>(lo);
        var c3 = System.Runtime.Intrinsics.Vector512.Create<uint>(hi);
        VectorKernels.Philox(ref c0, ref c1, ref c2, ref c3, 0x12345678u, 0x9abcdef0u);
        for (var l = 0; l < 16; l++)
            Assert.Equal(Philox.Block(3, 0, lo[l], hi[l], 0x12345678u, 0x9abcdef0u), (c0[l], c1[l], c2[l], c3[l]));
    }
}
