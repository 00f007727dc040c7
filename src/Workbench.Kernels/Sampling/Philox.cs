namespace Workbench.Kernels.Sampling;

/// <summary>
/// Philox4x32-10 (Salmon et al., Random123). Counter-based: block j of sample s of seed k is a pure function of
/// (k, s, j), so any backend, thread or shard reproduces the same numbers without sharing state.
/// This scalar form is the reference every vector and device kernel is tested against.
/// </summary>
public static class Philox
{
    public const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;
    public const int Rounds = 10;

    public static (uint, uint, uint, uint) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (var r = 0; r < Rounds; r++)
        {
            if (r > 0) { k0 += W0; k1 += W1; }
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var hi0 = (uint)(p0 >> 32); var lo0 = (uint)p0;
            var hi1 = (uint)(p1 >> 32); var lo1 = (uint)p1;
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>
    /// The stream layout shared by all backends: block <paramref name="block"/> of sample <paramref name="sample"/>
    /// uses counter (block, 0, sample low, sample high) and key (seed low, seed high).
    /// </summary>
    public static (uint, uint, uint, uint) SampleBlock(ulong seed, ulong sample, uint block) =>
        Block(block, 0, (uint)sample, (uint)(sample >> 32), (uint)seed, (uint)(seed >> 32));
}
