using System;
using System.Collections.Generic;
using System.Globalization;

namespace Workbench.Emit
{
    /// <summary>Which keys a query may attend to; the conventions of <c>Workbench.Attention.AttentionMask</c>.</summary>
    public enum KernelMask
    {
        /// <summary>Every key is admissible.</summary>
        None = 0,
        /// <summary>Key j is admissible for query i iff j ≤ i.</summary>
        Causal = 1,
        /// <summary>Key j is admissible for query i iff |i − j| ≤ W (the window half-width).</summary>
        Window = 2,
        /// <summary>A run-time key mask (one flag per key, shared by all rows) chooses the admissible keys.</summary>
        Padding = 3,
    }

    /// <summary>The element type of the emitted kernels.</summary>
    public enum KernelElement
    {
        Double = 0,
        Float = 1,
    }

    /// <summary>
    /// One attention-kernel configuration: n tokens, head dimension d_h, H heads, a mask, the score scale and the
    /// element type. Value equality (a record with only primitive fields), so it can sit in an incremental pipeline.
    /// </summary>
    public sealed record KernelConfig(
        string TypeName,
        string? Namespace,
        int Tokens,
        int HeadDim,
        int Heads = 1,
        KernelMask Mask = KernelMask.None,
        int Window = -1,
        double? ScoreScale = null,
        KernelElement Element = KernelElement.Double,
        bool Derivatives = true)
    {
        /// <summary>The factor in S = scale · Q Kᵀ: the declared one, else 1/√d_h.</summary>
        public double Scale => ScoreScale ?? 1.0 / Math.Sqrt(HeadDim);

        /// <summary>Whether query i may attend to key j under the static part of the mask (padding admits all).</summary>
        public bool Admits(int i, int j) => Mask switch
        {
            KernelMask.Causal => j <= i,
            KernelMask.Window => Math.Abs(i - j) <= Window,
            _ => true,
        };

        /// <summary>The admissible keys of row i, ascending (for padding: all keys, the run-time mask removes some).</summary>
        public IReadOnlyList<int> Keys(int i)
        {
            var keys = new List<int>();
            for (int j = 0; j < Tokens; j++) if (Admits(i, j)) keys.Add(j);
            return keys;
        }

        /// <summary>Describes the configuration the way diagnostics and file headers name it.</summary>
        public string Describe()
        {
            var mask = Mask == KernelMask.Window ? "window:" + Window.ToString(CultureInfo.InvariantCulture) : Mask.ToString().ToLowerInvariant();
            var scale = ScoreScale is double s ? ", scale " + s.ToString("R", CultureInfo.InvariantCulture) : "";
            var derivatives = Derivatives ? "" : ", no derivatives";
            return $"n={Tokens}, d_h={HeadDim}, H={Heads}, mask {mask}{scale}, {Element.ToString().ToLowerInvariant()}{derivatives}";
        }

        /// <summary>The identity of the computation, without the type name: two declarations with equal keys are duplicates.</summary>
        public string ConfigurationKey => Describe();
    }
}
