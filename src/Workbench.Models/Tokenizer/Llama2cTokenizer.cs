using System.Buffers.Binary;
using System.Text;

namespace Workbench.Models.Tokenizer;

/// <summary>
/// The llama2.c tokenizer (`tokenizer.bin`, `tok512.bin`): an int32 max token length, then for each token a float32
/// merge score, an int32 byte length and the UTF-8 bytes. Encoding follows llama2.c's run.c: optional BOS (1), a
/// dummy-prefix space, one token per code point (byte-fallback tokens &lt;0xXX&gt; = byte + 3 where the code point is
/// not in the vocabulary), then greedy merging of the adjacent pair whose merged string has the highest score.
/// </summary>
public sealed class Llama2cTokenizer
{
    public const int Bos = 1, Eos = 2;
    readonly byte[][] _pieces;
    readonly float[] _scores;
    readonly Dictionary<string, int> _lookup;

    public int VocabSize => _pieces.Length;
    public int MaxTokenLength { get; }
    public string Source { get; }

    Llama2cTokenizer(byte[][] pieces, float[] scores, int maxLen, string source)
    {
        _pieces = pieces; _scores = scores; MaxTokenLength = maxLen; Source = source;
        _lookup = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Length; i++) _lookup.TryAdd(Key(pieces[i]), i);
    }

    // Pieces are byte strings (byte-fallback pieces need not be valid UTF-8): key them by Latin-1 so the map is exact.
    static string Key(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);

    /// <summary>Loads a tokenizer for a model with <paramref name="vocabSize"/> tokens (the checkpoint header says how many).</summary>
    public static Llama2cTokenizer Load(string path, int vocabSize)
    {
        if (!File.Exists(path)) throw new ModelFormatException(path, "no such tokenizer file");
        return Parse(File.ReadAllBytes(path), vocabSize, path);
    }

    public static Llama2cTokenizer Parse(byte[] bytes, int vocabSize, string source)
    {
        if (vocabSize <= 0) throw new ModelFormatException(source, $"vocabulary size {vocabSize} must be positive");
        if (bytes.Length < 4) throw new ModelFormatException(source, "too short for a llama2.c tokenizer (no max_token_length)");
        var maxLen = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        if (maxLen is <= 0 or > 1 << 16) throw new ModelFormatException(source, $"max_token_length {maxLen} is not plausible: not a llama2.c tokenizer");
        var pieces = new byte[vocabSize][];
        var scores = new float[vocabSize];
        var at = 4;
        for (var i = 0; i < vocabSize; i++)
        {
            if (at + 8 > bytes.Length)
                throw new ModelFormatException(source, $"ends at token {i} of {vocabSize}: the tokenizer has fewer tokens than the model's vocabulary");
            scores[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at));
            var len = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at + 4));
            at += 8;
            if (len < 0 || len > maxLen || at + len > bytes.Length)
                throw new ModelFormatException(source, $"token {i} has length {len} (max_token_length {maxLen}, {bytes.Length - at} bytes left)");
            if (!float.IsFinite(scores[i])) throw new ModelFormatException(source, $"token {i} has a non-finite score");
            pieces[i] = bytes.AsSpan(at, len).ToArray();
            at += len;
        }
        if (at != bytes.Length)
            throw new ModelFormatException(source, $"{bytes.Length - at} trailing bytes after {vocabSize} tokens: the tokenizer does not match the model's vocabulary");
        return new Llama2cTokenizer(pieces, scores, maxLen, source);
    }

    public ReadOnlySpan<byte> Piece(int token) => _pieces[token];

    public int[] Encode(string text, bool bos = true, bool eos = false)
    {
        var tokens = new List<int>();
        if (bos) tokens.Add(Bos);
        // sentencepiece's add_dummy_prefix: a leading space when the text is non-empty.
        if (text.Length > 0 && _lookup.TryGetValue(" ", out var space)) tokens.Add(space);
        var utf8 = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < utf8.Length;)
        {
            var len = CodePointLength(utf8[i]);
            len = Math.Min(len, utf8.Length - i);
            if (_lookup.TryGetValue(Key(utf8.AsSpan(i, len)), out var id)) tokens.Add(id);
            else
                for (var j = 0; j < len; j++) tokens.Add(utf8[i + j] + 3);
            i += len;
        }
        var start = bos ? 1 : 0;
        var merged = new byte[2 * MaxTokenLength + 2];
        while (true)
        {
            float best = float.NegativeInfinity;
            int bestId = -1, bestIdx = -1;
            for (var i = start; i + 1 < tokens.Count; i++)
            {
                var a = _pieces[tokens[i]];
                var b = _pieces[tokens[i + 1]];
                a.CopyTo(merged, 0);
                b.CopyTo(merged, a.Length);
                if (_lookup.TryGetValue(Key(merged.AsSpan(0, a.Length + b.Length)), out var id) && _scores[id] > best)
                {
                    best = _scores[id]; bestId = id; bestIdx = i;
                }
            }
            if (bestIdx < 0) break;
            tokens[bestIdx] = bestId;
            tokens.RemoveAt(bestIdx + 1);
        }
        if (eos) tokens.Add(Eos);
        return tokens.ToArray();
    }

    static int CodePointLength(byte lead) => lead switch
    {
        < 0x80 => 1,
        >= 0xF0 => 4,
        >= 0xE0 => 3,
        >= 0xC0 => 2,
        _ => 1, // a stray continuation byte: take it alone
    };

    /// <summary>The bytes token <paramref name="token"/> prints after <paramref name="previous"/> (llama2.c's decode).</summary>
    public byte[] DecodeBytes(int previous, int token)
    {
        if ((uint)token >= (uint)VocabSize) throw new ModelFormatException($"token {token}", $"outside the vocabulary 0..{VocabSize - 1}");
        ReadOnlySpan<byte> piece = _pieces[token];
        if (previous == Bos && piece.Length > 0 && piece[0] == (byte)' ') piece = piece[1..];
        // Byte-fallback pieces are spelled "<0xXX>".
        if (piece.Length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>'
            && byte.TryParse(Encoding.ASCII.GetString(piece[3..5]), System.Globalization.NumberStyles.HexNumber, null, out var raw))
            return [raw];
        return piece.ToArray();
    }

    /// <summary>Decodes a token sequence (as generated after its first token) into text.</summary>
    public string Decode(IReadOnlyList<int> tokens)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == Bos && i == 0) continue;
            bytes.AddRange(DecodeBytes(i == 0 ? -1 : tokens[i - 1], tokens[i]));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
