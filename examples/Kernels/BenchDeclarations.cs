using Workbench.Kernels.Generated;

namespace Kernels.Example;

// The two configurations of the throughput comparison (docs/performance/generators.md).
[AttentionKernel(Tokens = 4, HeadDim = 8, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
public static partial class Bench4x8;

[AttentionKernel(Tokens = 8, HeadDim = 16, Mask = KernelMask.Causal, Element = KernelElement.Float, Derivatives = false)]
public static partial class Bench8x16;
