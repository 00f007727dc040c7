using Microsoft.CodeAnalysis;

namespace Workbench.Generators
{
    /// <summary>Placeholder until the kernel generator lands.</summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class AttentionKernelGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context) { }
    }
}
