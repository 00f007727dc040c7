namespace Workbench.Algebra;

internal static class AssemblyMarker { }
