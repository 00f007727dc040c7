namespace Workbench.Attention;

internal static class AssemblyMarker { }
