using System.Globalization;
using System.Text;
using Workbench.Models.Llama;
using Workbench.Models.Tokenizer;

namespace Workbench.Protocols.Model;

/// <summary>
/// A llama2.c checkpoint as the protocols use it: Workbench.Models reads and validates the file and the tokenizer
/// (malformed files are <see cref="Workbench.Models.ModelFormatException"/>s naming the file and the problem), and
/// the weights become the instrumented float64 <see cref="Transformer"/>.
/// </summary>
public sealed record LoadedModel(Transformer Model, Llama2cTokenizer? Tokenizer)
{
    /// <summary>The tokenizer path defaults to tok{vocab}.bin beside the checkpoint; it is optional unless text is needed.</summary>
    public static LoadedModel Load(string checkpoint, string? tokenizer = null)
    {
        var llama = Llama2cLoader.Load(checkpoint);
        var model = new Transformer(TransformerWeights.FromLlama(llama), Path.GetFileNameWithoutExtension(checkpoint));
        var vocab = llama.Config.VocabSize;
        tokenizer ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, $"tok{vocab}.bin");
        return new LoadedModel(model, File.Exists(tokenizer) ? Llama2cTokenizer.Load(tokenizer, vocab) : null);
    }

    /// <summary>A token's text for reports (its id where there is no tokenizer or the id is outside the vocabulary).</summary>
    public string Piece(int token) =>
        Tokenizer is { } t && (uint)token < (uint)t.VocabSize
            ? Encoding.UTF8.GetString(t.Piece(token))
            : token.ToString(CultureInfo.InvariantCulture);
}
