using System;
using System.Collections.Generic;

namespace Workbench.Emit
{
    /// <summary>
    /// The public emitter: C#, OpenCL C 1.2 and CUDA C sources for one configuration. Used by the source generator at
    /// compile time and by Workbench.Kernels at run time for configurations nobody declared. Validate first:
    /// the Emit* methods throw <see cref="ArgumentException"/> on a configuration <see cref="Validate"/> refuses.
    /// </summary>
    public static class KernelEmitter
    {
        /// <summary>Problems that stop emission, each a sentence naming the property; empty when the configuration is emittable.</summary>
        public static IReadOnlyList<string> Validate(KernelConfig c)
        {
            var problems = new List<string>();
            if (c.Tokens < 1 || c.Tokens > 4096) problems.Add($"Tokens = {c.Tokens} must be between 1 and 4096");
            if (c.HeadDim < 1 || c.HeadDim > 4096) problems.Add($"HeadDim = {c.HeadDim} must be between 1 and 4096");
            if (c.Heads < 1 || c.Heads > KernelLimits.MaxHeads) problems.Add($"Heads = {c.Heads} must be between 1 and {KernelLimits.MaxHeads}");
            if (c.Mask == KernelMask.Window && c.Window < 0) problems.Add("a Window mask needs Window = W ≥ 0 (keys with |i − j| ≤ W)");
            if (c.ScoreScale is double s && (double.IsNaN(s) || double.IsInfinity(s) || s == 0)) problems.Add($"ScoreScale = {s} must be finite and nonzero");
            if (problems.Count == 0 && TooLargeToUnroll(c) is string big) problems.Add(big);
            if (c.TypeName.Length == 0) problems.Add("the type name is empty");
            return problems;
        }

        /// <summary>Why the configuration cannot be unrolled, or null.</summary>
        public static string? TooLargeToUnroll(KernelConfig c)
        {
            long statements = KernelLimits.EstimatedStatements(c);
            if (c.Tokens > KernelLimits.MaxTokens || c.HeadDim > KernelLimits.MaxHeadDim || statements > KernelLimits.MaxStatements)
                return $"{c.Describe()} needs about {statements} unrolled statements; the limit is {KernelLimits.MaxStatements} statements with n ≤ {KernelLimits.MaxTokens} and d_h ≤ {KernelLimits.MaxHeadDim}";
            return null;
        }

        public static string EmitCSharp(KernelConfig c) => new CSharpKernelWriter(Checked(c)).Write();

        public static string EmitOpenCl(KernelConfig c) => new GpuKernelWriter(Checked(c), cuda: false).Write();

        public static string EmitCuda(KernelConfig c) => new GpuKernelWriter(Checked(c), cuda: true).Write();

        /// <summary>The GPU kernel entry points: {name}_patterns_margins(q, k[, key_mask], pattern, margins, batch), {name}_scores, {name}_softmax and, with derivatives, {name}_softmax_jacobian, {name}_output_by_queries, {name}_output_by_keys.</summary>
        public static string GpuKernelPrefix(KernelConfig c) => GpuKernelWriter.Prefix(c);

        private static KernelConfig Checked(KernelConfig c)
        {
            if (c is null) throw new ArgumentNullException(nameof(c));
            var problems = Validate(c);
            if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems), nameof(c));
            return c;
        }
    }
}
