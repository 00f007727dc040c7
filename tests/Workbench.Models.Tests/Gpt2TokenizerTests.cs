using System.Text;
using System.Text.Json;
using Workbench.Models.Tokenizer;

namespace Workbench.Models.Tests;

public class Gpt2TokenizerTests
{
    /// <summary>vocab.json text: the 256 single-byte tokens (ids 0..255 in byte order), then <paramref name="extra"/>.</summary>
    internal static string Vocab(params string[] extra)
    {
        var map = new Dictionary<string, int>();
        for (var b = 0; b < 256; b++) map[Gpt2ByteTable.Char((byte)b).ToString()] = b;
        foreach (var e in extra) map[e] = map.Count;
        return JsonSerializer.Serialize(map);
    }

    internal static string Merges(params string[] pairs) => "#version: 0.2\n" + string.Join("\n", pairs) + "\n";

    static int Byte(char c) => c;

    [Fact]
    public void Byte_table_is_gpt2s_bytes_to_unicode()
    {
        Assert.Equal('Ġ', Gpt2ByteTable.Char((byte)' '));
        Assert.Equal('Ċ', Gpt2ByteTable.Char((byte)'\n'));
        Assert.Equal('Ā', Gpt2ByteTable.Char(0));
        Assert.Equal('A', Gpt2ByteTable.Char((byte)'A'));
        Assert.Equal('ÿ', Gpt2ByteTable.Char(0xFF));
        Assert.Equal('Ń', Gpt2ByteTable.Char(0xAD));  // soft hyphen: the last of the 68 remapped bytes
        Assert.Equal(256, Enumerable.Range(0, 256).Select(b => Gpt2ByteTable.Char((byte)b)).Distinct().Count());
    }

    [Fact]
    public void Pre_tokenization_follows_gpt2s_pattern()
    {
        Assert.Equal(["Hello", " world", "'s", " ", " end", "\n\n"], Gpt2Tokenizer.PreTokenize("Hello world's  end\n\n"));
        Assert.Equal(["I", "'m", " 42", "!!", " x", "\t", " 7"], Gpt2Tokenizer.PreTokenize("I'm 42!! x\t 7"));
        Assert.Equal(["   "], Gpt2Tokenizer.PreTokenize("   "));
        Assert.Equal(["a", "  ", " b"], Gpt2Tokenizer.PreTokenize("a   b"));
        Assert.Equal([" café", " 日本語"], Gpt2Tokenizer.PreTokenize(" café 日本語"));
    }

    /// <summary>
    /// "abcbc" by hand. Merges [a b, ab c]: a·b·c·b·c → ab·c·b·c → abc·b·c (b c is a token but not a merge).
    /// Merges [b c, a bc]: a·b·c·b·c → a·bc·bc (every occurrence) → abc·bc.
    /// </summary>
    [Fact]
    public void Merges_apply_in_file_order_to_every_occurrence()
    {
        var vocab = Vocab("ab", "bc", "abc", "Ġa", "Ġab");
        var first = Gpt2TokenizerFiles.Parse(vocab, Merges("a b", "ab c", "Ġ a", "Ġa b"));
        int ab = 256, bc = 257, abc = 258, spaceA = 259, spaceAb = 260;
        Assert.Equal([abc, Byte('b'), Byte('c')], first.Encode("abcbc"));
        var second = Gpt2TokenizerFiles.Parse(vocab, Merges("b c", "a bc"));
        Assert.Equal([abc, bc], second.Encode("abcbc"));
        // " ab" is Ġ·a·b; "a b" ranks before "Ġ a", so it becomes Ġ·ab, and no merge joins Ġ and ab: Ġab is never reached.
        Assert.Equal([ab, Byte(' '), ab, spaceA], first.Encode("ab ab a"));
        var spaceFirst = Gpt2TokenizerFiles.Parse(vocab, Merges("Ġ a", "Ġa b", "a b"));
        Assert.Equal([ab, spaceAb, spaceA], spaceFirst.Encode("ab ab a"));
        Assert.Equal("abcbc", second.Decode([abc, bc]));
        Assert.Null(first.EndOfText);
        Assert.Equal(261, first.VocabSize);
    }

    [Fact]
    public void Round_trip_is_exact_for_unicode_and_whitespace()
    {
        var tok = Gpt2TokenizerFiles.Parse(Vocab("Ġt", "Ġth", "he", "Ġthe", "<|endoftext|>"), Merges("Ġ t", "Ġt h", "h e", "Ġth e"));
        Assert.Equal(260, tok.EndOfText);
        string[] texts =
        [
            "", " the  the\n\n\tthe ", "naïve café — 日本語 🙂 𝐀𝟙 ÿ\u00AD\u00A0x", "\r\n\r\n   \u3000", "it's 'S 'll", "<|endoftext|>",
        ];
        foreach (var text in texts) Assert.Equal(text, tok.Decode(tok.Encode(text)));
        Assert.Equal([259], tok.Encode(" the"));                 // Ġ·t·h·e → Ġt·h·e → Ġth·e → Ġthe
        Assert.Equal([Byte('t'), 258], tok.Encode("the"));         // t·h·e → t·he (no "t he" merge)
        var rng = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var sb = new StringBuilder();
            for (var i = rng.Next(1, 30); i > 0; i--)
            {
                var cp = rng.Next(4) switch { 0 => rng.Next(0x20, 0x7F), 1 => rng.Next(0, 0x800), 2 => rng.Next(0x800, 0xD800), _ => rng.Next(0x10000, 0x110000) };
                sb.Append(char.ConvertFromUtf32(cp));
            }
            var text = sb.ToString();
            Assert.Equal(text, tok.Decode(tok.Encode(text)));
            Assert.Equal(Encoding.UTF8.GetBytes(text), tok.DecodeBytes(tok.Encode(text)));
        }
        // A token may hold part of a character: its bytes are exact, its text shows U+FFFD.
        var euro = tok.Encode("€");
        Assert.Equal(3, euro.Length);
        Assert.Equal(new byte[] { 0xE2 }, tok.DecodeBytes([euro[0]]));
        Assert.Contains("not in the vocabulary", Assert.Throws<ModelFormatException>(() => tok.Decode([261])).Problem);
    }

    [Fact]
    public void Loads_from_a_folder_or_a_vocab_path_and_names_missing_files()
    {
        using var dir = new TempDir();
        Assert.Contains("no such GPT-2 tokenizer", Assert.Throws<ModelFormatException>(() => Gpt2Tokenizer.Load(dir.File("absent"))).Problem);
        var noVocab = Assert.Throws<ModelFormatException>(() => Gpt2Tokenizer.Load(dir.Path));
        Assert.EndsWith("vocab.json", noVocab.Input);
        File.WriteAllText(dir.File("vocab.json"), Vocab("ab"));
        var noMerges = Assert.Throws<ModelFormatException>(() => Gpt2Tokenizer.Load(dir.File("vocab.json")));
        Assert.EndsWith("merges.txt", noMerges.Input);
        Assert.Contains("missing", noMerges.Problem);
        File.WriteAllText(dir.File("merges.txt"), Merges("a b"));
        Assert.Equal([256], Gpt2Tokenizer.Load(dir.Path).Encode("ab"));
        Assert.Equal([256], Gpt2Tokenizer.Load(dir.File("vocab.json")).Encode("ab"));
        Assert.True(Gpt2TokenizerFiles.Looks(dir.Path));
        Assert.True(Gpt2TokenizerFiles.Looks(dir.File("vocab.json")));
        Assert.False(Gpt2TokenizerFiles.Looks(dir.File("tok512.bin")));
    }

    [Fact]
    public void Malformed_files_are_refused_naming_the_file_and_the_problem()
    {
        ModelFormatException Refuse(string vocab, string merges) =>
            Assert.Throws<ModelFormatException>(() => Gpt2TokenizerFiles.Parse(vocab, merges, "t/vocab.json", "t/merges.txt"));
        var json = Refuse("{\"a\": 1,", Merges());
        Assert.Equal("t/vocab.json", json.Input);
        Assert.Contains("not valid JSON", json.Problem);
        Assert.Contains("JSON object", Refuse("[1, 2]", Merges()).Problem);
        Assert.Contains("expected a non-negative integer", Refuse(Vocab()[..^1] + ",\"zz\":\"7\"}", Merges()).Problem);
        Assert.Contains("expected a non-negative integer", Refuse(Vocab()[..^1] + ",\"zz\":-3}", Merges()).Problem);
        Assert.Contains("id 5 is given to both", Refuse(Vocab()[..^1] + ",\"zz\":5}", Merges()).Problem);
        Assert.Contains("U+4E00", Refuse(Vocab("\u4E00"), Merges()).Problem);
        Assert.Contains("no token for byte 0x00", Refuse("{\"B\": 0}", Merges()).Problem);
        var line = Refuse(Vocab("ab"), Merges("a b c"));
        Assert.Equal("t/merges.txt:2", line.Input);
        Assert.Contains("expected two tokens", line.Problem);
        var unknownPart = Refuse(Vocab("ab"), Merges("a b", "zz b"));
        Assert.Equal("t/merges.txt:3", unknownPart.Input);
        Assert.Contains("refers to 'zz'", unknownPart.Problem);
        Assert.Contains("refers to 'abc'", Refuse(Vocab("ab"), Merges("a b", "ab c")).Problem);
    }
}
