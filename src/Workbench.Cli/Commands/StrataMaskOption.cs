using Workbench.Attention;
using Workbench.Attention.Io;

namespace Workbench.Cli.Commands;

/// <summary>
/// The --mask spellings: none, causal, window:W (parsed by <see cref="AttentionMask.Parse"/>), and two read from
/// .npy files of integers or floats, nonzero meaning admitted: padding:FILE ([n], one flag per key) and
/// mask:FILE ([n,n], row i = query i).
/// </summary>
public static class StrataMaskOption
{
    public static AttentionMask Parse(string text, int n)
    {
        if (text.StartsWith("padding:", StringComparison.Ordinal))
        {
            var (path, flags) = ReadFlags(text["padding:".Length..]);
            if (flags.Shape.Length != 1 || flags.Shape[0] != n)
                throw new AttentionInputException(path, $"a padding mask needs shape [{n}], got {NpyArray.Format(flags.Shape)}");
            return AttentionMask.Padding(Admitted(flags, path));
        }
        if (text.StartsWith("mask:", StringComparison.Ordinal))
        {
            var (path, flags) = ReadFlags(text["mask:".Length..]);
            if (flags.Shape.Length != 2 || flags.Shape[0] != n || flags.Shape[1] != n)
                throw new AttentionInputException(path, $"an arbitrary mask needs shape [{n},{n}], got {NpyArray.Format(flags.Shape)}");
            var flat = Admitted(flags, path);
            var admitted = new bool[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) admitted[i, j] = flat[(long)i * n + j];
            return AttentionMask.Arbitrary(admitted);
        }
        return AttentionMask.Parse(text);
    }

    private static (string Path, NpyArray Flags) ReadFlags(string path)
    {
        if (path.Length == 0) throw new AttentionInputException("--mask", "padding: and mask: need a .npy file name after the colon");
        return (path, Npy.Read(path));
    }

    private static bool[] Admitted(NpyArray flags, string path)
    {
        var values = flags.ToDouble();
        var admitted = new bool[values.Length];
        for (int t = 0; t < values.Length; t++)
        {
            if (double.IsNaN(values[t])) throw new AttentionInputException(path, $"entry {t} is NaN; mask flags must be 0 or nonzero");
            admitted[t] = values[t] != 0;
        }
        return admitted;
    }
}
