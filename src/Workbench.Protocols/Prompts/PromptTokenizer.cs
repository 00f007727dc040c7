using System.Text;
using Workbench.Models.Tokenizer;

namespace Workbench.Protocols.Prompts;

/// <summary>
/// Text ↔ token ids for prompts, whichever tokenizer the model has. <see cref="Encode"/> puts the model's
/// start-of-text marker first (llama2.c's BOS; GPT-2's &lt;|endoftext|&gt;, the separator GPT-2 was trained to
/// read before a document), so every encoded prompt has a first row that attends only to itself, as the protocols assume.
/// </summary>
public abstract class PromptTokenizer
{
    public abstract int VocabSize { get; }
    public abstract string Source { get; }
    public abstract int[] Encode(string text);
    public abstract string Decode(IReadOnlyList<int> tokens);
    /// <summary>One token's text, for reports.</summary>
    public abstract string Piece(int token);

    public static PromptTokenizer Of(Llama2cTokenizer tokenizer) => new Llama(tokenizer);
    public static PromptTokenizer Of(Gpt2Tokenizer tokenizer) => new Gpt2(tokenizer);

    private sealed class Llama(Llama2cTokenizer t) : PromptTokenizer
    {
        public override int VocabSize => t.VocabSize;
        public override string Source => t.Source;
        public override int[] Encode(string text) => t.Encode(text);
        public override string Decode(IReadOnlyList<int> tokens) => t.Decode(tokens);
        public override string Piece(int token) => Encoding.UTF8.GetString(t.Piece(token));
    }

    private sealed class Gpt2(Gpt2Tokenizer t) : PromptTokenizer
    {
        public override int VocabSize => t.VocabSize;
        public override string Source => t.Source;
        // A vocabulary without <|endoftext|> (a toy tokenizer) gets no marker: the text's own first token starts the prompt.
        public override int[] Encode(string text) => t.EndOfText is { } eot ? [eot, .. t.Encode(text)] : t.Encode(text);
        public override string Decode(IReadOnlyList<int> tokens) => t.Decode(tokens);
        public override string Piece(int token) => t.Piece(token);
    }
}
