using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Workbench.Generators
{
    /// <summary>The WB diagnostics (ids in AnalyzerReleases.Shipped.md; explained in docs/generators.md).</summary>
    public static class KernelDiagnostics
    {
        private const string Category = "Workbench.Kernels";

        public static readonly DiagnosticDescriptor BadShape = new DiagnosticDescriptor("WB0001",
            "Attention kernel shape is out of range",
            "{0}: {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor BadWindow = new DiagnosticDescriptor("WB0002",
            "Window mask without a usable width",
            "{0}: a Window mask needs Window = W ≥ 0 (keys with |i − j| ≤ W are admissible); set Window on the attribute",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor WindowIsNoMask = new DiagnosticDescriptor("WB0003",
            "Window as wide as the sequence",
            "{0}: Window = {1} ≥ n − 1 = {2} admits every key, the same as Mask = KernelMask.None; use None (or a width below {2})",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor TooLarge = new DiagnosticDescriptor("WB0004",
            "Attention kernel too large to unroll",
            "{0}: {1}; use the generic run-time path (Workbench.Attention / Workbench.Kernels) for this configuration",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor Duplicate = new DiagnosticDescriptor("WB0005",
            "Attention kernel configuration declared twice",
            "{0} declares the same configuration as {1} ({2}); use one of them",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NotStaticPartial = new DiagnosticDescriptor("WB0006",
            "Attention kernel class must be a top-level static partial class",
            "{0} must be {1} so the generated kernels can be added to it",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor NotConstant = new DiagnosticDescriptor("WB0007",
            "Attention kernel property is not a compile-time constant",
            "{0}: the value of {1} is not a compile-time constant; write a literal or a const",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor BadScale = new DiagnosticDescriptor("WB0008",
            "Score scale is not a finite nonzero number",
            "{0}: ScoreScale = {1} must be finite and nonzero (leave it unset for 1/√d_h)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        public static readonly DiagnosticDescriptor EmitFailed = new DiagnosticDescriptor("WB0009",
            "Attention kernel could not be generated",
            "{0}: the kernel emitter failed ({1}); please report it with this declaration",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new Dictionary<string, DiagnosticDescriptor>
        {
            [BadShape.Id] = BadShape, [BadWindow.Id] = BadWindow, [WindowIsNoMask.Id] = WindowIsNoMask, [TooLarge.Id] = TooLarge,
            [Duplicate.Id] = Duplicate, [NotStaticPartial.Id] = NotStaticPartial, [NotConstant.Id] = NotConstant,
            [BadScale.Id] = BadScale, [EmitFailed.Id] = EmitFailed,
        };

        public static Diagnostic Create(DiagnosticInfo info)
        {
            var args = new object[info.Arguments.Count];
            for (int i = 0; i < args.Length; i++) args[i] = info.Arguments[i];
            return Diagnostic.Create(ById[info.Id], info.Location.ToLocation(), args);
        }
    }
}
