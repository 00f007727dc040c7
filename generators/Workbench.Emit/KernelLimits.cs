using System.Numerics;

namespace Workbench.Emit
{
    /// <summary>
    /// Limits on what is unrolled. Tokens ≤ 16 keeps the pattern code Σσ(i)·n^i inside a ulong (16^16 − 1 fits);
    /// the statement budget keeps one configuration's source small enough to compile in well under a second.
    /// </summary>
    public static class KernelLimits
    {
        public const int MaxTokens = 16;
        public const int MaxHeadDim = 64;
        public const int MaxHeads = 1024;

        /// <summary>Most straight-line statements one configuration may emit (scores, softmax, Jacobians, batch).</summary>
        public const int MaxStatements = 20000;

        /// <summary>
        /// An upper estimate of the statements emitted for a configuration: scores n²·d_h (scalar and batch), the
        /// softmax Jacobian (when Derivatives is set) n³ plus its common subexpressions, ∂Y/∂Q and ∂Y/∂K (n·d_h·n each for the V-contracted
        /// Jacobian, n²·d_h² for ∂Y/∂K), and a few per row.
        /// </summary>
        public static long EstimatedStatements(KernelConfig c)
        {
            long n = c.Tokens, d = c.HeadDim;
            long forward = 3 * n * n + 2 * n * n * d + 16 * n;
            return c.Derivatives ? forward + 4 * n * n * n + n * d * d + n * n * d * d : forward;
        }

        /// <summary>|patterns|: Π over rows of the admissible key count (n^n for padding, an upper bound).</summary>
        public static BigInteger PatternSetSize(KernelConfig c)
        {
            BigInteger size = BigInteger.One;
            for (int i = 0; i < c.Tokens; i++) size *= c.Keys(i).Count;
            return size;
        }
    }
}
