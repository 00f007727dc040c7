using System.Globalization;
using Workbench.Models;
using Workbench.Models.Gpt2;
using Workbench.Models.Llama;
using Workbench.Models.Tokenizer;
using Workbench.Protocols.Prompts;

namespace Workbench.Protocols.Model;

/// <summary>
/// A trained checkpoint as the protocols use it: Workbench.Models reads and validates the file and the tokenizer
/// (malformed files are <see cref="ModelFormatException"/>s naming the file and the problem), and the weights become
/// the instrumented float64 <see cref="Transformer"/>. llama2.c checkpoints (.bin) and GPT-2 safetensors are told
/// apart by <see cref="ModelFormats.Detect"/>, the same rule every other command uses.
/// </summary>
public sealed record LoadedModel(Transformer Model, PromptTokenizer? Tokenizer, ModelFormat Format = ModelFormat.Llama2c)
{
    /// <summary>
    /// The tokenizer path defaults to tok{vocab}.bin beside a llama2.c checkpoint, or to vocab.json + merges.txt beside a
    /// GPT-2 one; it is optional unless text is needed. A given path that does not exist leaves the tokenizer null, for
    /// the caller to report; a tokenizer of the other architecture is refused.
    /// </summary>
    public static LoadedModel Load(string checkpoint, string? tokenizer = null) =>
        ModelFormats.Detect(checkpoint) == ModelFormat.Gpt2Safetensors ? LoadGpt2(checkpoint, tokenizer) : LoadLlama(checkpoint, tokenizer);

    private static LoadedModel LoadLlama(string checkpoint, string? tokenizer)
    {
        if (tokenizer is not null && Gpt2TokenizerFiles.Looks(tokenizer))
            throw new ModelFormatException(tokenizer, "is a GPT-2 tokenizer (vocab.json + merges.txt); llama2.c checkpoints need their tokenizer.bin");
        var llama = Llama2cLoader.Load(checkpoint);
        var model = new Transformer(TransformerWeights.FromLlama(llama), Path.GetFileNameWithoutExtension(checkpoint));
        var vocab = llama.Config.VocabSize;
        tokenizer ??= Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpoint))!, $"tok{vocab}.bin");
        return new LoadedModel(model, File.Exists(tokenizer) ? PromptTokenizer.Of(Llama2cTokenizer.Load(tokenizer, vocab)) : null);
    }

    private static LoadedModel LoadGpt2(string checkpoint, string? tokenizer)
    {
        var gpt2 = Gpt2Loader.Load(checkpoint);
        var model = new Transformer(TransformerWeights.FromGpt2(gpt2), Path.GetFileNameWithoutExtension(checkpoint));
        var beside = Path.GetDirectoryName(Path.GetFullPath(checkpoint))!;
        if (tokenizer is null)
            return new LoadedModel(model, File.Exists(Path.Combine(beside, Gpt2TokenizerFiles.VocabName)) && File.Exists(Path.Combine(beside, Gpt2TokenizerFiles.MergesName))
                ? Gpt2Tokenizer(beside, gpt2.Config.VocabSize) : null, ModelFormat.Gpt2Safetensors);
        if (!Gpt2TokenizerFiles.Looks(tokenizer))
            throw new ModelFormatException(tokenizer, File.Exists(tokenizer)
                ? "is not a GPT-2 tokenizer: GPT-2 models need a folder holding vocab.json and merges.txt, or the vocab.json path"
                : "no such GPT-2 tokenizer: give a folder holding vocab.json and merges.txt, or the vocab.json path");
        if (!Directory.Exists(tokenizer) && !File.Exists(tokenizer)) return new LoadedModel(model, null, ModelFormat.Gpt2Safetensors);
        return new LoadedModel(model, Gpt2Tokenizer(tokenizer, gpt2.Config.VocabSize), ModelFormat.Gpt2Safetensors);
    }

    private static PromptTokenizer Gpt2Tokenizer(string path, int modelVocab)
    {
        var tok = Workbench.Models.Tokenizer.Gpt2Tokenizer.Load(path);
        if (tok.VocabSize > modelVocab)
            throw new ModelFormatException(tok.Source, $"has ids up to {tok.VocabSize - 1}, beyond the model's vocabulary 0..{modelVocab - 1}");
        return PromptTokenizer.Of(tok);
    }

    /// <summary>A token's text for reports (its id where there is no tokenizer or the id is outside the vocabulary).</summary>
    public string Piece(int token) =>
        Tokenizer is { } t && (uint)token < (uint)t.VocabSize ? t.Piece(token) : token.ToString(CultureInfo.InvariantCulture);
}
