using System.Text;

namespace Workbench.Protocols.Model;

/// <summary>
/// llama2.c's tokenizer format (tok512.bin): max token length, then per token a float score, a length and the
/// bytes. Encoding is llama2.c's: a leading space, one token per UTF-8 character (byte fallback at id 3 + byte),
/// then repeatedly merge the adjacent pair whose merged string has the highest score.
/// </summary>
public sealed class Llama2Tokenizer
{
    public const int Bos = 1;
    public const int Eos = 2;
    private readonly string[] _pieces;
    private readonly float[] _scores;
    private readonly Dictionary<string, int> _lookup = new(StringComparer.Ordinal);

    private Llama2Tokenizer(string[] pieces, float[] scores)
    {
        _pieces = pieces; _scores = scores;
        for (var i = 0; i < pieces.Length; i++) _lookup.TryAdd(pieces[i], i);
    }

    public int VocabSize => _pieces.Length;

    public static Llama2Tokenizer Read(string path, int vocabSize)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no tokenizer at '{path}'", path);
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            reader.ReadInt32();
            var pieces = new string[vocabSize];
            var scores = new float[vocabSize];
            for (var i = 0; i < vocabSize; i++)
            {
                scores[i] = reader.ReadSingle();
                var len = reader.ReadInt32();
                if (len < 0 || len > 1 << 16) throw new InvalidDataException($"token {i} claims length {len}");
                pieces[i] = Encoding.UTF8.GetString(reader.ReadBytes(len));
            }
            return new Llama2Tokenizer(pieces, scores);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"tokenizer file ends before {vocabSize} tokens (the model's vocabulary size)");
        }
    }

    public string Piece(int token) => (uint)token < (uint)_pieces.Length ? _pieces[token] : "?";

    /// <summary>Text of a token sequence (the BOS marker dropped, byte tokens decoded).</summary>
    public string Decode(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        var first = true;
        foreach (var t in tokens)
        {
            if (t == Bos) { first = true; continue; }
            var piece = Piece(t);
            if (first && piece.StartsWith(' ')) piece = piece[1..];
            first = false;
            if (piece.Length == 6 && piece.StartsWith("<0x") && piece.EndsWith('>') && byte.TryParse(piece.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
                bytes.Add(b);
            else bytes.AddRange(Encoding.UTF8.GetBytes(piece));
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>BOS followed by the text's tokens.</summary>
    public int[] Encode(string text)
    {
        var tokens = new List<int>();
        if (text.Length > 0 && _lookup.TryGetValue(" ", out var space)) tokens.Add(space);
        foreach (var rune in text.EnumerateRunes())
        {
            var s = rune.ToString();
            if (_lookup.TryGetValue(s, out var id)) tokens.Add(id);
            else foreach (var b in Encoding.UTF8.GetBytes(s)) tokens.Add(b + 3);
        }
        while (true)
        {
            var best = float.NegativeInfinity; var at = -1; var bestId = -1;
            for (var i = 0; i + 1 < tokens.Count; i++)
            {
                if (_lookup.TryGetValue(_pieces[tokens[i]] + _pieces[tokens[i + 1]], out var merged) && _scores[merged] > best)
                { best = _scores[merged]; at = i; bestId = merged; }
            }
            if (at < 0) break;
            tokens[at] = bestId;
            tokens.RemoveAt(at + 1);
        }
        tokens.Insert(0, Bos);
        return tokens.ToArray();
    }
}
