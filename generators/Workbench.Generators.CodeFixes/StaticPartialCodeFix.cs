using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbench.Generators.CodeFixes
{
    /// <summary>WB0006: adds the missing <c>static</c> and/or <c>partial</c> to an [AttentionKernel] class.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StaticPartialCodeFix)), Shared]
    public sealed class StaticPartialCodeFix : CodeFixProvider
    {
        public const string DiagnosticId = "WB0006";

        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                var declaration = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().FirstOrDefault();
                // Nested or generic classes cannot be fixed by a modifier.
                if (declaration is null || declaration.Parent is TypeDeclarationSyntax || declaration.TypeParameterList is not null) continue;
                if (declaration.Modifiers.Any(SyntaxKind.StaticKeyword) && declaration.Modifiers.Any(SyntaxKind.PartialKeyword)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create("Make the class static partial", ct => Fix(context.Document, declaration, ct), nameof(StaticPartialCodeFix)),
                    diagnostic);
            }
        }

        private static async Task<Document> Fix(Document document, ClassDeclarationSyntax declaration, CancellationToken ct)
        {
            var root = await document.GetSyntaxRootAsync(ct).ConfigureAwait(false);
            if (root is null) return document;
            var modifiers = declaration.Modifiers;
            // Order: accessibility, static, partial (partial must come last before 'class').
            var partialIndex = modifiers.IndexOf(SyntaxKind.PartialKeyword);
            if (partialIndex >= 0) modifiers = modifiers.RemoveAt(partialIndex);
            if (!modifiers.Any(SyntaxKind.StaticKeyword)) modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            modifiers = modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
            var leading = declaration.Modifiers.Count > 0 ? declaration.Modifiers[0].LeadingTrivia : declaration.Keyword.LeadingTrivia;
            modifiers = modifiers.Replace(modifiers[0], modifiers[0].WithLeadingTrivia(leading));
            var updated = declaration.WithModifiers(modifiers);
            if (declaration.Modifiers.Count == 0) updated = updated.WithKeyword(declaration.Keyword.WithLeadingTrivia());
            return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
        }
    }
}
