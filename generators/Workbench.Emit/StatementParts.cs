using System;
using System.Collections.Generic;

namespace Workbench.Emit
{
    /// <summary>
    /// Splits a long list of straight-line statements into parts of at most <see cref="PartStatements"/>, each to be
    /// its own method. Why: .NET's JIT compiles a method of more than ≈ 60 KB of IL with MinOpts (no register
    /// allocation, bounds checks kept), and the derivative kernels of the larger configurations were 80–280 KB
    /// (n = 8, d_h = 12 causal: ∂Y/∂K 282 KB). A part is cut only where no temporary is live across the cut, and only
    /// for statements whose every name is one of the part method's parameters (or a temporary of the list); anything
    /// else stays in one piece, exactly as before. Lists of at most one part are not split, so small configurations
    /// print byte-identical code.
    /// </summary>
    internal static class StatementParts
    {
        public const int PartStatements = 400;

        /// <summary>The parts, or null when the list is short or cannot be split safely.</summary>
        public static List<List<string>>? Split(List<string> statements, string elementType, ICollection<string> parameters)
        {
            if (statements.Count <= PartStatements) return null;
            // Temporaries: declared as "<type> name = ...;"; a cut after statement p is safe when none declared at or
            // before p is used after p.
            var declaredAt = new Dictionary<string, int>();
            var declaredHere = new string?[statements.Count];
            var lastUse = new Dictionary<string, int>();
            var prefix = elementType + " ";
            var known = new List<string>(parameters) { "ScoreScale", elementType };
            for (int p = 0; p < statements.Count; p++)
            {
                var s = statements[p];
                int from = 0;
                if (s.StartsWith(prefix, StringComparison.Ordinal))
                {
                    int end = prefix.Length;
                    while (end < s.Length && (char.IsLetterOrDigit(s[end]) || s[end] == '_')) end++;
                    var declared = s.Substring(prefix.Length, end - prefix.Length);
                    declaredAt[declared] = p;
                    declaredHere[p] = declared;
                    from = end;
                }
                // Allocation-free for names that are parameters (nearly all of them: this runs over every statement of
                // every large kernel inside the compiler); a string is made only for a temporary's use.
                for (int at = NextIdentifier(s, from, out var length); at >= 0; at = NextIdentifier(s, at + length, out length))
                {
                    if (IsOneOf(s, at, length, known)) continue;
                    var name = s.Substring(at, length);
                    if (declaredAt.ContainsKey(name)) { lastUse[name] = p; continue; }
                    return null; // a name a part could not see
                }
            }
            var parts = new List<List<string>>();
            var current = new List<string>();
            var open = new HashSet<string>(); // temporaries declared in the current part and used later
            for (int p = 0; p < statements.Count; p++)
            {
                current.Add(statements[p]);
                if (declaredHere[p] is string t && lastUse.TryGetValue(t, out var u) && u > p) open.Add(t);
                if (open.Count > 0) open.RemoveWhere(o => lastUse[o] <= p);
                if (current.Count >= PartStatements && open.Count == 0 && p + 1 < statements.Count)
                {
                    parts.Add(current);
                    current = new List<string>();
                }
            }
            parts.Add(current);
            return parts.Count > 1 ? parts : null;
        }

        /// <summary>The identifiers of a C# statement, skipping member names after '.' and the letters of numeric literals.</summary>
        internal static IEnumerable<string> Identifiers(string s)
        {
            for (int at = NextIdentifier(s, 0, out var length); at >= 0; at = NextIdentifier(s, at + length, out length))
                yield return s.Substring(at, length);
        }

        /// <summary>The start of the first identifier at or after <paramref name="p"/> (and its length), or −1.</summary>
        private static int NextIdentifier(string s, int p, out int length)
        {
            while (p < s.Length)
            {
                char c = s[p];
                if (c >= '0' && c <= '9')
                {
                    // 1.5e-3f, 2d, 0x1F: the letters belong to the literal.
                    p++;
                    while (p < s.Length && (char.IsLetterOrDigit(s[p]) || s[p] == '.' || ((s[p] == '-' || s[p] == '+') && (s[p - 1] == 'e' || s[p - 1] == 'E')))) p++;
                    continue;
                }
                if (char.IsLetter(c) || c == '_')
                {
                    int start = p;
                    while (p < s.Length && (char.IsLetterOrDigit(s[p]) || s[p] == '_')) p++;
                    if (start == 0 || s[start - 1] != '.') { length = p - start; return start; }
                    continue;
                }
                p++;
            }
            length = 0;
            return -1;
        }

        private static bool IsOneOf(string s, int start, int length, List<string> names)
        {
            foreach (var n in names)
                if (n.Length == length && string.CompareOrdinal(s, start, n, 0, length) == 0) return true;
            return false;
        }
    }
}
