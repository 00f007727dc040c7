using Workbench.Kernels.Generated;

namespace Kernels.Example;

/// <summary>Four tokens, head dimension 8, two heads, causal: the configuration of the note's worked example.</summary>
[AttentionKernel(Tokens = 4, HeadDim = 8, Heads = 2, Mask = KernelMask.Causal)]
public static partial class Causal4x8;

/// <summary>A sliding window of half-width 1 over six tokens, float32.</summary>
[AttentionKernel(Tokens = 6, HeadDim = 4, Mask = KernelMask.Window, Window = 1, Element = KernelElement.Float)]
public static partial class Window6x4;

/// <summary>Eight tokens with a run-time padding mask; only patterns and margins are needed, so no derivatives.</summary>
[AttentionKernel(Tokens = 8, HeadDim = 16, Mask = KernelMask.Padding, Element = KernelElement.Float, Derivatives = false)]
public static partial class Padded8x16;
