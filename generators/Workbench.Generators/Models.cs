using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Workbench.Emit;

namespace Workbench.Generators
{
    /// <summary>Where a diagnostic goes, as plain values (a Location would pin the syntax tree in the pipeline).</summary>
    public sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        public static LocationInfo From(Location location) =>
            new LocationInfo(location.SourceTree?.FilePath ?? "", location.SourceSpan, location.GetLineSpan().Span);
    }

    /// <summary>A diagnostic to report: its id, place and message arguments.</summary>
    public sealed record DiagnosticInfo(string Id, LocationInfo Location, EquatableArray<string> Arguments);

    /// <summary>One [AttentionKernel] declaration: the configuration (null when an error stops emission) and its diagnostics.</summary>
    public sealed record DeclarationModel(KernelConfig? Config, LocationInfo Location, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>The identity of a declaration for the duplicate check.</summary>
    public sealed record ConfigurationKey(string Key, string TypeName, LocationInfo Location);
}
