using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Workbench.Emit;

namespace Workbench.Generators
{
    /// <summary>
    /// Emits unrolled attention kernels for every class marked [AttentionKernel]. The pipeline carries only equatable
    /// records (no symbols, syntax or locations), so unrelated edits leave every step cached; every problem is a
    /// diagnostic, never an exception thrown into the compiler.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AttentionKernelGenerator : IIncrementalGenerator
    {
        public static class TrackingNames
        {
            public const string Declarations = nameof(Declarations);
            public const string Configurations = nameof(Configurations);
            public const string Diagnostics = nameof(Diagnostics);
            public const string Duplicates = nameof(Duplicates);
        }

        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            context.RegisterPostInitializationOutput(c => c.AddSource(AttributeSource.HintName, AttributeSource.Text));

            var declarations = context.SyntaxProvider.ForAttributeWithMetadataName(
                    AttributeSource.AttributeMetadataName,
                    static (node, _) => node is ClassDeclarationSyntax,
                    static (ctx, ct) => Read(ctx, ct))
                .WithTrackingName(TrackingNames.Declarations);

            var configurations = declarations
                .Where(static d => d.Config is not null)
                .Select(static (d, _) => d.Config!)
                .WithTrackingName(TrackingNames.Configurations);
            context.RegisterSourceOutput(configurations, static (spc, m) => Emit(spc, m));

            var diagnostics = declarations
                .Select(static (d, _) => d.Diagnostics)
                .WithTrackingName(TrackingNames.Diagnostics);
            context.RegisterSourceOutput(diagnostics, static (spc, ds) => Report(spc, ds));

            var duplicates = declarations
                .Where(static d => d.Config is not null)
                .Select(static (d, _) => new ConfigurationKey(d.Config!.ConfigurationKey, Qualified(d.Config!), d.Location))
                .Collect()
                .Select(static (keys, _) => FindDuplicates(keys))
                .WithTrackingName(TrackingNames.Duplicates);
            context.RegisterSourceOutput(duplicates, static (spc, ds) => Report(spc, ds));
        }

        private static string Qualified(KernelConfig c) => string.IsNullOrEmpty(c.Namespace) ? c.TypeName : c.Namespace + "." + c.TypeName;

        /// <summary>{Type}.g.cs, namespace-qualified when the class has a namespace (hint names must be unique).</summary>
        public static string HintName(KernelConfig c) => Qualified(c) + ".g.cs";

        /// <summary>
        /// The configuration alone drives emission (no location), so edits that only move the declaration leave the
        /// generated source cached; an emitter failure is therefore reported without a source location.
        /// </summary>
        private static void Emit(SourceProductionContext spc, KernelConfig config)
        {
            string source;
            try
            {
                source = KernelEmitter.EmitCSharp(config);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                spc.ReportDiagnostic(Diagnostic.Create(KernelDiagnostics.EmitFailed, Location.None, Qualified(config), e.GetType().Name + ": " + e.Message));
                return;
            }
            spc.AddSource(HintName(config), source);
        }

        private static void Report(SourceProductionContext spc, EquatableArray<DiagnosticInfo> diagnostics)
        {
            foreach (var d in diagnostics) spc.ReportDiagnostic(KernelDiagnostics.Create(d));
        }

        private static EquatableArray<DiagnosticInfo> FindDuplicates(ImmutableArray<ConfigurationKey> keys)
        {
            var first = new Dictionary<string, ConfigurationKey>(StringComparer.Ordinal);
            var found = new List<DiagnosticInfo>();
            // Deterministic: the earliest declaration in (file, position) order is the original.
            foreach (var k in keys.OrderBy(k => k.Location.FilePath, StringComparer.Ordinal).ThenBy(k => k.Location.Span.Start))
            {
                if (first.TryGetValue(k.Key, out var original))
                    found.Add(new DiagnosticInfo(KernelDiagnostics.Duplicate.Id, k.Location,
                        new EquatableArray<string>(new[] { k.TypeName, original.TypeName, k.Key })));
                else first[k.Key] = k;
            }
            return new EquatableArray<DiagnosticInfo>(found.ToArray());
        }

        private static DeclarationModel Read(GeneratorAttributeSyntaxContext ctx, CancellationToken ct)
        {
            var syntax = (ClassDeclarationSyntax)ctx.TargetNode;
            var symbol = (INamedTypeSymbol)ctx.TargetSymbol;
            var location = LocationInfo.From(syntax.Identifier.GetLocation());
            var diagnostics = new List<DiagnosticInfo>();
            string name = symbol.Name;
            void Add(DiagnosticDescriptor d, LocationInfo at, params string[] args) =>
                diagnostics.Add(new DiagnosticInfo(d.Id, at, new EquatableArray<string>(args)));

            bool isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
            bool isStatic = symbol.IsStatic;
            if (!isPartial || !isStatic || symbol.ContainingType is not null || symbol.IsGenericType)
            {
                string need = symbol.ContainingType is not null ? "a top-level (not nested) static partial class"
                    : symbol.IsGenericType ? "a non-generic static partial class"
                    : !isPartial && !isStatic ? "static partial (add both modifiers)"
                    : !isPartial ? "partial (add the partial modifier)" : "static (add the static modifier)";
                Add(KernelDiagnostics.NotStaticPartial, location, name, need);
            }

            var attribute = ctx.Attributes[0];
            var values = new Dictionary<string, TypedConstant>(StringComparer.Ordinal);
            foreach (var pair in attribute.NamedArguments) values[pair.Key] = pair.Value;

            // A value the compiler cannot fold arrives as an error constant; name the property at its argument.
            if (attribute.ApplicationSyntaxReference?.GetSyntax(ct) is AttributeSyntax attributeSyntax && attributeSyntax.ArgumentList is { } list)
            {
                var model = ctx.SemanticModel;
                foreach (var arg in list.Arguments)
                {
                    string property = arg.NameEquals?.Name.Identifier.ValueText ?? "(positional argument)";
                    if (!model.GetConstantValue(arg.Expression, ct).HasValue)
                    {
                        Add(KernelDiagnostics.NotConstant, LocationInfo.From(arg.GetLocation()), name, property);
                        values.Remove(property);
                    }
                }
            }

            int Int(string key, int fallback) =>
                values.TryGetValue(key, out var v) && v.Kind != TypedConstantKind.Error && v.Value is int i ? i : fallback;
            bool Has(string key) => values.TryGetValue(key, out var v) && v.Kind != TypedConstantKind.Error && v.Value is not null;

            int tokens = Int("Tokens", 0), headDim = Int("HeadDim", 0), heads = Int("Heads", 1), window = Int("Window", -1);
            var mask = (KernelMask)Int("Mask", 0);
            var element = (KernelElement)Int("Element", 0);
            bool derivatives = !(values.TryGetValue("Derivatives", out var dv) && dv.Value is bool db) || db;
            double? scale = values.TryGetValue("ScoreScale", out var sv) && sv.Value is double sd && !double.IsNaN(sd) ? sd : null;
            if (values.TryGetValue("ScoreScale", out var sv2) && sv2.Value is double sd2 && (double.IsInfinity(sd2) || sd2 == 0))
                Add(KernelDiagnostics.BadScale, location, name, sd2.ToString("R", CultureInfo.InvariantCulture));

            if (!Has("Tokens")) Add(KernelDiagnostics.BadShape, location, name, "Tokens (n) is not set");
            else if (tokens < 1 || tokens > 4096) Add(KernelDiagnostics.BadShape, location, name, $"Tokens = {tokens} must be between 1 and 4096");
            if (!Has("HeadDim")) Add(KernelDiagnostics.BadShape, location, name, "HeadDim (d_h) is not set");
            else if (headDim < 1 || headDim > 4096) Add(KernelDiagnostics.BadShape, location, name, $"HeadDim = {headDim} must be between 1 and 4096");
            if (heads < 1 || heads > KernelLimits.MaxHeads) Add(KernelDiagnostics.BadShape, location, name, $"Heads = {heads} must be between 1 and {KernelLimits.MaxHeads}");
            if (!Enum.IsDefined(typeof(KernelMask), mask)) Add(KernelDiagnostics.BadShape, location, name, $"Mask = {(int)mask} is not a KernelMask");
            if (!Enum.IsDefined(typeof(KernelElement), element)) Add(KernelDiagnostics.BadShape, location, name, $"Element = {(int)element} is not a KernelElement");
            if (mask == KernelMask.Window && window < 0) Add(KernelDiagnostics.BadWindow, location, name);

            bool errors = diagnostics.Exists(d => KernelDiagnostics.ById[d.Id].DefaultSeverity == DiagnosticSeverity.Error);
            KernelConfig? config = null;
            if (!errors)
            {
                if (mask == KernelMask.Window && window >= tokens - 1)
                    Add(KernelDiagnostics.WindowIsNoMask, location, name, window.ToString(CultureInfo.InvariantCulture), (tokens - 1).ToString(CultureInfo.InvariantCulture));
                string? ns = symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString();
                var candidate = new KernelConfig(name, ns, tokens, headDim, heads, mask, mask == KernelMask.Window ? window : -1, scale, element, derivatives);
                if (KernelEmitter.TooLargeToUnroll(candidate) is string why) Add(KernelDiagnostics.TooLarge, location, name, why);
                else config = candidate;
            }
            return new DeclarationModel(config, location, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
        }
    }
}
