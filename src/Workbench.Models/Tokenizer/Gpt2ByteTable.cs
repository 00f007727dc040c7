namespace Workbench.Models.Tokenizer;

/// <summary>
/// GPT-2's bytes_to_unicode: every byte gets a printable code point, so byte strings become JSON-safe token strings.
/// Printable Latin-1 bytes ('!'..'~', '¡'..'¬', '®'..'ÿ') map to themselves; the other 68 bytes map, in byte order, to
/// U+0100, U+0101, … (so the space 0x20 is 'Ġ' U+0120 and the newline 0x0A is 'Ċ' U+010A).
/// </summary>
public static class Gpt2ByteTable
{
    static readonly char[] ToChar = Build();
    static readonly Dictionary<char, byte> ToByte = Enumerable.Range(0, 256).ToDictionary(b => ToChar[b], b => (byte)b);

    static char[] Build()
    {
        var table = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)(256 + next++);
        }
        return table;
    }

    public static char Char(byte b) => ToChar[b];

    public static bool TryByte(char c, out byte b) => ToByte.TryGetValue(c, out b);
}
