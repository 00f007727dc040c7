namespace Workbench.Kernels;

internal static class AssemblyMarker { }
