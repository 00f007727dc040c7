namespace Workbench.Emit
{
    internal static class AssemblyMarker { }
}
