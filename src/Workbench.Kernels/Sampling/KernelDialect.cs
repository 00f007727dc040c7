namespace Workbench.Kernels.Sampling;

/// <summary>The few spellings in which OpenCL C and CUDA C differ; everything else is emitted once for both.</summary>
public sealed record KernelDialect(
    string Name, string Prelude, string Inline, string KernelQualifier, string Global, string ThreadIndex,
    string AsUint, string AsFloat, string Divide, string Sqrt, string Fma)
{
    /// <summary>OpenCL C: FP_CONTRACT OFF forbids implicit fma (fma() is the written one, correctly rounded by the spec); the host builds with -cl-fp32-correctly-rounded-divide-sqrt.</summary>
    public static KernelDialect OpenCl { get; } = new(
        "OpenCL C",
        "#pragma OPENCL FP_CONTRACT OFF\n",
        "inline", "__kernel", "__global", "(uint)get_global_id(0)",
        "as_uint({0})", "as_float({0})", "({0}) / ({1})", "sqrt({0})", "fma({0}, {1}, {2})");

    /// <summary>CUDA C: compiled with --fmad=false, and the rounding of division, sqrt and the written fma is spelled out.</summary>
    public static KernelDialect Cuda { get; } = new(
        "CUDA C",
        "typedef unsigned int uint;\ntypedef unsigned long long ulong;\n#define INFINITY __int_as_float(0x7f800000)\n",
        "__device__ __forceinline__", "extern \"C\" __global__", "", "(uint)(blockIdx.x * blockDim.x + threadIdx.x)",
        "__float_as_uint({0})", "__uint_as_float({0})", "__fdiv_rn({0}, {1})", "__fsqrt_rn({0})", "__fmaf_rn({0}, {1}, {2})");
}
