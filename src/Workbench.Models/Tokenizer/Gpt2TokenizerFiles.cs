using System.Text.Json;

namespace Workbench.Models.Tokenizer;

/// <summary>
/// Reads and validates a GPT-2 tokenizer: vocab.json (an object mapping token strings written in
/// <see cref="Gpt2ByteTable"/> characters to distinct non-negative ids) and merges.txt beside it (an optional
/// `#version` line, then one `a b` pair per line, earlier lines merging first). Everything that would make encoding
/// or decoding fail later is refused here with the file and the problem: bad JSON, a non-integer or duplicate id, a
/// token with a character no byte maps to, a missing single-byte token, a malformed merge line, or a merge whose
/// parts or result are not tokens.
/// </summary>
public static class Gpt2TokenizerFiles
{
    public const string VocabName = "vocab.json", MergesName = "merges.txt";

    /// <summary>True where <paramref name="path"/> names a GPT-2 tokenizer: a directory, or a .json file (vocab.json).</summary>
    public static bool Looks(string path) =>
        Directory.Exists(path) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads from a directory holding vocab.json and merges.txt, or from the vocab.json path (merges.txt beside it).</summary>
    public static Gpt2Tokenizer Load(string path)
    {
        string vocabPath, mergesPath;
        if (Directory.Exists(path))
        {
            vocabPath = Path.Combine(path, VocabName);
            mergesPath = Path.Combine(path, MergesName);
        }
        else if (File.Exists(path))
        {
            vocabPath = path;
            mergesPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, MergesName);
        }
        else throw new ModelFormatException(path, $"no such GPT-2 tokenizer: give a folder holding {VocabName} and {MergesName}, or the {VocabName} path");
        if (!File.Exists(vocabPath)) throw new ModelFormatException(vocabPath, $"missing: a GPT-2 tokenizer needs {VocabName} and {MergesName}");
        if (!File.Exists(mergesPath)) throw new ModelFormatException(mergesPath, $"missing: a GPT-2 tokenizer needs {MergesName} beside {VocabName}");
        return Parse(File.ReadAllText(vocabPath), File.ReadAllText(mergesPath), vocabPath, mergesPath);
    }

    public static Gpt2Tokenizer Parse(string vocabJson, string mergesText, string vocabSource = VocabName, string mergesSource = MergesName)
    {
        var ids = ReadVocab(vocabJson, vocabSource);
        var tokens = new string[ids.Values.Max() + 1];
        foreach (var (token, id) in ids) tokens[id] = token;
        for (var b = 0; b < 256; b++)
        {
            var c = Gpt2ByteTable.Char((byte)b).ToString();
            if (!ids.ContainsKey(c))
                throw new ModelFormatException(vocabSource, $"has no token for byte 0x{b:X2} ('{c}'): byte-level BPE needs all 256 single-byte tokens");
        }
        return new Gpt2Tokenizer(ids, tokens, ReadMerges(mergesText, ids, mergesSource), vocabSource);
    }

    static Dictionary<string, int> ReadVocab(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json); }
        catch (JsonException ex) { throw new ModelFormatException(source, $"is not valid JSON: {ex.Message}"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new ModelFormatException(source, $"must be a JSON object mapping token strings to ids, found {doc.RootElement.ValueKind}");
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var owner = new Dictionary<int, string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var id) || id < 0)
                    throw new ModelFormatException(source, $"token '{p.Name}' has id {p.Value.GetRawText()}, expected a non-negative integer");
                if (p.Name.Length == 0) throw new ModelFormatException(source, $"id {id} has an empty token string");
                foreach (var c in p.Name)
                    if (!Gpt2ByteTable.TryByte(c, out _))
                        throw new ModelFormatException(source, $"token '{p.Name}' (id {id}) holds U+{(int)c:X4}, which no byte maps to: not a byte-level BPE vocabulary");
                if (owner.TryGetValue(id, out var other))
                    throw new ModelFormatException(source, $"id {id} is given to both '{other}' and '{p.Name}'");
                if (!ids.TryAdd(p.Name, id)) throw new ModelFormatException(source, $"token '{p.Name}' appears twice");
                owner[id] = p.Name;
            }
            if (ids.Count == 0) throw new ModelFormatException(source, "holds no tokens");
            return ids;
        }
    }

    static Dictionary<(string, string), int> ReadMerges(string text, Dictionary<string, int> ids, string source)
    {
        var ranks = new Dictionary<(string, string), int>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (line.Length == 0 || n == 0 && line.StartsWith("#version", StringComparison.Ordinal)) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new ModelFormatException($"{source}:{n + 1}", $"'{line}' is not a merge: expected two tokens separated by one space");
            foreach (var part in new[] { parts[0], parts[1], parts[0] + parts[1] })
                if (!ids.ContainsKey(part))
                    throw new ModelFormatException($"{source}:{n + 1}", $"merge '{line}' refers to '{part}', which is not in the vocabulary");
            ranks.TryAdd((parts[0], parts[1]), ranks.Count);
        }
        return ranks;
    }
}
