namespace Workbench.Protocols;

internal static class AssemblyMarker { }
