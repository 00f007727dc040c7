using Workbench.Models;
using Workbench.Models.Tokenizer;

namespace Workbench.Cli.Commands;

/// <summary>
/// The one place that decides which tokenizer a --tokenizer path is, by its file: a folder or a .json path is a GPT-2
/// tokenizer (vocab.json + merges.txt), anything else a llama2.c tokenizer.bin. A tokenizer of the other architecture
/// than the model's is refused with a message that says what to pass instead.
/// </summary>
public static class TokenizerPaths
{
    public static Gpt2Tokenizer Gpt2(string path, int modelVocab)
    {
        if (!Gpt2TokenizerFiles.Looks(path))
            throw new ModelFormatException(path, File.Exists(path)
                ? "is not a GPT-2 tokenizer: GPT-2 models need a folder holding vocab.json and merges.txt, or the vocab.json path"
                : "no such GPT-2 tokenizer: give a folder holding vocab.json and merges.txt, or the vocab.json path");
        var tok = Gpt2Tokenizer.Load(path);
        if (tok.VocabSize > modelVocab)
            throw new ModelFormatException(tok.Source, $"has ids up to {tok.VocabSize - 1}, beyond the model's vocabulary 0..{modelVocab - 1}");
        return tok;
    }

    public static Llama2cTokenizer Llama(string path, int modelVocab)
    {
        if (Gpt2TokenizerFiles.Looks(path))
            throw new ModelFormatException(path, "is a GPT-2 tokenizer (vocab.json + merges.txt); llama2.c models need their tokenizer.bin");
        return Llama2cTokenizer.Load(path, modelVocab);
    }
}
