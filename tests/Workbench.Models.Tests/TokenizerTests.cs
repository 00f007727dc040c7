using System.Text;
using Workbench.Models.Tokenizer;

namespace Workbench.Models.Tests;

public class TokenizerTests
{
    /// <summary>A tiny tokenizer: specials, 256 byte-fallback pieces, letters, and merges with scores.</summary>
    static byte[] TinyVocab(out int vocab)
    {
        var pieces = new List<(string, float)> { ("<unk>", 0), ("<s>", 0), ("</s>", 0) };
        for (var b = 0; b < 256; b++) pieces.Add(($"<0x{b:X2}>", 0));
        foreach (var ch in " abc") pieces.Add((ch.ToString(), -1));
        pieces.Add(("ab", 5)); pieces.Add((" ab", 7)); pieces.Add(("abc", 6)); pieces.Add(("bc", 9));
        vocab = pieces.Count;
        using var ms = new MemoryStream();
        using var bw = new BinaryWriter(ms);
        bw.Write(8);
        foreach (var (p, s) in pieces) { var b = Encoding.UTF8.GetBytes(p); bw.Write(s); bw.Write(b.Length); bw.Write(b); }
        bw.Flush();
        return ms.ToArray();
    }

    [Fact]
    public void Merges_by_highest_score_and_falls_back_to_bytes()
    {
        var tok = Llama2cTokenizer.Parse(TinyVocab(out var v), v, "tiny");
        string Piece(int id) => Encoding.UTF8.GetString(tok.Piece(id));
        // " abc": ' ','a','b','c' → best pair "bc" (9) → ' ','a','bc' → no " a"/"abc" from "a"+"bc"? "abc" (6) exists.
        var ids = tok.Encode("abc");
        Assert.Equal(["<s>", " ", "abc"], ids.Select(Piece));
        // 'é' is not in the vocabulary: two byte-fallback tokens (byte + 3); decode restores it.
        var e = tok.Encode("é", bos: false);
        Assert.Equal([" ", "<0xC3>", "<0xA9>"], e.Select(Piece));
        Assert.Equal(" é", tok.Decode(e));
        Assert.Equal("abc", tok.Decode(ids));
    }

    [Fact]
    public void Refuses_tokenizers_that_do_not_match_the_model()
    {
        var bytes = TinyVocab(out var v);
        Assert.Contains("fewer tokens", Assert.Throws<ModelFormatException>(() => Llama2cTokenizer.Parse(bytes, v + 1, "t")).Problem);
        Assert.Contains("trailing", Assert.Throws<ModelFormatException>(() => Llama2cTokenizer.Parse(bytes, v - 1, "t")).Problem);
        Assert.Contains("no such tokenizer", Assert.Throws<ModelFormatException>(() => Llama2cTokenizer.Load("/nope/tok.bin", 10)).Problem);
    }

    [StoriesFact]
    public void Stories_tokenizer_round_trips_text()
    {
        var tok = Llama2cTokenizer.Load(SharedModels.Stories260KTokenizer()!, 512);
        const string text = "Once upon a time, there was a little girl named Lily.";
        var ids = tok.Encode(text);
        Assert.Equal(Llama2cTokenizer.Bos, ids[0]);
        Assert.True(ids.Length < text.Length / 2, $"{ids.Length} tokens: merges did not happen");
        Assert.Equal(text, tok.Decode(ids));
    }
}
