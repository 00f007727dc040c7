namespace Workbench.Symbolic
{
    internal static class AssemblyMarker { }
}
