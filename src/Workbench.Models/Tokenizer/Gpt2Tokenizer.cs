using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Models.Tokenizer;

/// <summary>
/// GPT-2's byte-level BPE (the OpenAI / Hugging Face files vocab.json + merges.txt). Encoding: split the text with
/// GPT-2's pre-tokenization pattern, turn each piece's UTF-8 bytes into <see cref="Gpt2ByteTable"/> characters, then
/// repeatedly merge the adjacent pair whose merge comes first in merges.txt (every occurrence of it, left to right)
/// until no listed pair remains; each symbol is then a vocab.json entry. Decoding maps characters back to bytes, so
/// decode(encode(text)) = text for any text. Special tokens such as &lt;|endoftext|&gt; are not recognised inside text
/// (they encode as their characters); pass them as ids.
/// </summary>
public sealed partial class Gpt2Tokenizer
{
    // GPT-2's pattern. .NET matches UTF-16 units, so a letter or digit outside the BMP (surrogate pair) falls in the
    // punctuation class rather than \p{L}/\p{N}: the split differs from Python's `regex` only there, never the bytes.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+", RegexOptions.CultureInvariant)]
    private static partial Regex PreTokenPattern();

    readonly Dictionary<string, int> _ids;
    readonly string[] _tokens;
    readonly Dictionary<(string, string), int> _ranks;
    readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    /// <summary>One past the largest id (the model's vocabulary must be at least this large).</summary>
    public int VocabSize => _tokens.Length;
    public string Source { get; }
    /// <summary>The id of &lt;|endoftext|&gt; where vocab.json has it (GPT-2: 50256), else null.</summary>
    public int? EndOfText { get; }

    internal Gpt2Tokenizer(Dictionary<string, int> ids, string[] tokens, Dictionary<(string, string), int> ranks, string source)
    {
        _ids = ids; _tokens = tokens; _ranks = ranks; Source = source;
        EndOfText = ids.TryGetValue("<|endoftext|>", out var e) ? e : null;
    }

    /// <summary>From a folder holding vocab.json and merges.txt, or the vocab.json path (see <see cref="Gpt2TokenizerFiles"/>).</summary>
    public static Gpt2Tokenizer Load(string path) => Gpt2TokenizerFiles.Load(path);

    /// <summary>The pieces GPT-2's pattern splits <paramref name="text"/> into (their concatenation is the text).</summary>
    public static IReadOnlyList<string> PreTokenize(string text) => PreTokenPattern().Matches(text).Select(m => m.Value).ToArray();

    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var piece in PreTokenize(text))
        {
            if (!_cache.TryGetValue(piece, out var tokens)) _cache[piece] = tokens = EncodePiece(piece);
            ids.AddRange(tokens);
        }
        return ids.ToArray();
    }

    int[] EncodePiece(string piece)
    {
        var symbols = Encoding.UTF8.GetBytes(piece).Select(b => Gpt2ByteTable.Char(b).ToString()).ToList();
        while (symbols.Count > 1)
        {
            // The listed pair with the lowest rank merges first, everywhere it occurs.
            var best = int.MaxValue;
            (string, string) pair = default;
            for (var i = 0; i + 1 < symbols.Count; i++)
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < best) { best = rank; pair = (symbols[i], symbols[i + 1]); }
            if (best == int.MaxValue) break;
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == pair.Item1 && symbols[i + 1] == pair.Item2) { merged.Add(pair.Item1 + pair.Item2); i++; }
                else merged.Add(symbols[i]);
            }
            symbols = merged;
        }
        // Loading checked that every byte and every merge result is in the vocabulary, so this lookup cannot miss.
        return symbols.Select(s => _ids[s]).ToArray();
    }

    /// <summary>The bytes the tokens stand for (a token may hold part of a UTF-8 character).</summary>
    public byte[] DecodeBytes(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        foreach (var t in tokens)
        {
            if ((uint)t >= (uint)_tokens.Length || _tokens[t] is null)
                throw new ModelFormatException($"token {t}", $"is not in the vocabulary of {Source}");
            foreach (var c in _tokens[t])
            {
                Gpt2ByteTable.TryByte(c, out var b);
                bytes.Add(b);
            }
        }
        return bytes.ToArray();
    }

    /// <summary>The text of the tokens (an incomplete UTF-8 character at a cut shows as U+FFFD).</summary>
    public string Decode(IEnumerable<int> tokens) => Encoding.UTF8.GetString(DecodeBytes(tokens));

    /// <summary>One token's text for reports (its bytes decoded as UTF-8).</summary>
    public string Piece(int token) => Decode([token]);
}
