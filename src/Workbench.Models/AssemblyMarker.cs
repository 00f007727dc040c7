namespace Workbench.Models;

internal static class AssemblyMarker { }
