#if NETSTANDARD2_0
// netstandard2.0 lacks these; records and init-only setters need them (PolySharp cannot be restored here).
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
#endif
