using Workbench.Kernels.Generated;

// The configurations whose pattern-and-margin kernels ship compiled into the CPU backend: unrolled by the Workbench
// generator at build time (float32, no derivatives: the sampler only needs patterns and margins). Every other
// configuration runs the shape-generic vector kernel, which does the same operations in the same order; the
// sampler says which one it used (SampleReport.KernelOrigin). The grid is every n in {2, 3, 4, 5, 6, 8} with
// d_h a power of two up to 16, unmasked and causal: 60 classes. Kept small because each adds to the build and to the
// assembly (the generator also emits scalar, Vector256 and GPU variants per class): with d_h up to 64 the assembly
// grew from 0.1 MB to 19 MB; to 16 it is 6.6 MB.
namespace Workbench.Kernels.Sampling.Shipped;

[AttentionKernel(Tokens = 2, HeadDim = 1, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d1_none;

[AttentionKernel(Tokens = 2, HeadDim = 1, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d1_causal;

[AttentionKernel(Tokens = 2, HeadDim = 2, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d2_none;

[AttentionKernel(Tokens = 2, HeadDim = 2, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d2_causal;

[AttentionKernel(Tokens = 2, HeadDim = 4, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d4_none;

[AttentionKernel(Tokens = 2, HeadDim = 4, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d4_causal;

[AttentionKernel(Tokens = 2, HeadDim = 8, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d8_none;

[AttentionKernel(Tokens = 2, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d8_causal;

[AttentionKernel(Tokens = 2, HeadDim = 16, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d16_none;

[AttentionKernel(Tokens = 2, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n2_d16_causal;

[AttentionKernel(Tokens = 3, HeadDim = 1, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d1_none;

[AttentionKernel(Tokens = 3, HeadDim = 1, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d1_causal;

[AttentionKernel(Tokens = 3, HeadDim = 2, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d2_none;

[AttentionKernel(Tokens = 3, HeadDim = 2, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d2_causal;

[AttentionKernel(Tokens = 3, HeadDim = 4, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d4_none;

[AttentionKernel(Tokens = 3, HeadDim = 4, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d4_causal;

[AttentionKernel(Tokens = 3, HeadDim = 8, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d8_none;

[AttentionKernel(Tokens = 3, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d8_causal;

[AttentionKernel(Tokens = 3, HeadDim = 16, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d16_none;

[AttentionKernel(Tokens = 3, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n3_d16_causal;

[AttentionKernel(Tokens = 4, HeadDim = 1, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d1_none;

[AttentionKernel(Tokens = 4, HeadDim = 1, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d1_causal;

[AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d2_none;

[AttentionKernel(Tokens = 4, HeadDim = 2, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d2_causal;

[AttentionKernel(Tokens = 4, HeadDim = 4, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d4_none;

[AttentionKernel(Tokens = 4, HeadDim = 4, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d4_causal;

[AttentionKernel(Tokens = 4, HeadDim = 8, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d8_none;

[AttentionKernel(Tokens = 4, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d8_causal;

[AttentionKernel(Tokens = 4, HeadDim = 16, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d16_none;

[AttentionKernel(Tokens = 4, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n4_d16_causal;

[AttentionKernel(Tokens = 5, HeadDim = 1, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d1_none;

[AttentionKernel(Tokens = 5, HeadDim = 1, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d1_causal;

[AttentionKernel(Tokens = 5, HeadDim = 2, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d2_none;

[AttentionKernel(Tokens = 5, HeadDim = 2, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d2_causal;

[AttentionKernel(Tokens = 5, HeadDim = 4, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d4_none;

[AttentionKernel(Tokens = 5, HeadDim = 4, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d4_causal;

[AttentionKernel(Tokens = 5, HeadDim = 8, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d8_none;

[AttentionKernel(Tokens = 5, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d8_causal;

[AttentionKernel(Tokens = 5, HeadDim = 16, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d16_none;

[AttentionKernel(Tokens = 5, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n5_d16_causal;

[AttentionKernel(Tokens = 6, HeadDim = 1, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d1_none;

[AttentionKernel(Tokens = 6, HeadDim = 1, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d1_causal;

[AttentionKernel(Tokens = 6, HeadDim = 2, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d2_none;

[AttentionKernel(Tokens = 6, HeadDim = 2, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d2_causal;

[AttentionKernel(Tokens = 6, HeadDim = 4, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d4_none;

[AttentionKernel(Tokens = 6, HeadDim = 4, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d4_causal;

[AttentionKernel(Tokens = 6, HeadDim = 8, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d8_none;

[AttentionKernel(Tokens = 6, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d8_causal;

[AttentionKernel(Tokens = 6, HeadDim = 16, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d16_none;

[AttentionKernel(Tokens = 6, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n6_d16_causal;

[AttentionKernel(Tokens = 8, HeadDim = 1, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d1_none;

[AttentionKernel(Tokens = 8, HeadDim = 1, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d1_causal;

[AttentionKernel(Tokens = 8, HeadDim = 2, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d2_none;

[AttentionKernel(Tokens = 8, HeadDim = 2, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d2_causal;

[AttentionKernel(Tokens = 8, HeadDim = 4, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d4_none;

[AttentionKernel(Tokens = 8, HeadDim = 4, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d4_causal;

[AttentionKernel(Tokens = 8, HeadDim = 8, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d8_none;

[AttentionKernel(Tokens = 8, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d8_causal;

[AttentionKernel(Tokens = 8, HeadDim = 16, Mask = KernelMask.None, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d16_none;

[AttentionKernel(Tokens = 8, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
internal static partial class Shipped_n8_d16_causal;