using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Workbench.Symbolic
{
    /// <summary>
    /// A named, optionally indexed variable: <c>tau</c>, <c>q[0,1]</c>. <see cref="IsPositive"/> is a declared
    /// assumption (e.g. tau &gt; 0) that sound rules may use; it is part of the symbol's identity so a positive
    /// and an unconstrained <c>tau</c> never silently merge.
    /// </summary>
    public sealed class Symbol : IEquatable<Symbol>, IComparable<Symbol>
    {
        private readonly int[] _indices;
        private readonly int _hash;

        public string Name { get; }
        public IReadOnlyList<int> Indices => _indices;
        public bool IsPositive { get; }

        public Symbol(string name, params int[] indices) : this(name, false, indices) { }

        public Symbol(string name, bool positive, params int[] indices)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("a symbol needs a name", nameof(name));
            if (!IsIdentifier(name)) throw new ArgumentException($"symbol name '{name}' is not an identifier (letters, digits, '_', starting with a letter or '_')", nameof(name));
            Name = name;
            _indices = indices == null ? new int[0] : (int[])indices.Clone();
            IsPositive = positive;
            unchecked
            {
                int h = StringComparer.Ordinal.GetHashCode(name) * 397 ^ (positive ? 17 : 0);
                foreach (var i in _indices) h = h * 31 + i;
                _hash = h;
            }
        }

        public static Symbol Positive(string name, params int[] indices) => new Symbol(name, true, indices);

        internal static bool IsIdentifier(string s)
        {
            if (s.Length == 0 || !(char.IsLetter(s[0]) || s[0] == '_')) return false;
            foreach (var c in s) if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
            return true;
        }

        public bool Equals(Symbol? other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (other is null || other._hash != _hash || other.Name != Name || other.IsPositive != IsPositive) return false;
            if (other._indices.Length != _indices.Length) return false;
            for (int i = 0; i < _indices.Length; i++) if (_indices[i] != other._indices[i]) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is Symbol s && Equals(s);
        public override int GetHashCode() => _hash;

        public int CompareTo(Symbol? other)
        {
            if (other is null) return 1;
            int c = string.CompareOrdinal(Name, other.Name);
            if (c != 0) return c;
            for (int i = 0; i < Math.Min(_indices.Length, other._indices.Length); i++)
            {
                c = _indices[i].CompareTo(other._indices[i]);
                if (c != 0) return c;
            }
            c = _indices.Length.CompareTo(other._indices.Length);
            return c != 0 ? c : IsPositive.CompareTo(other.IsPositive);
        }

        /// <summary>Plain form that the parser reads back: <c>q[0,1]</c>.</summary>
        public override string ToString()
        {
            if (_indices.Length == 0) return Name;
            var sb = new StringBuilder(Name).Append('[');
            for (int i = 0; i < _indices.Length; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(_indices[i].ToString(CultureInfo.InvariantCulture));
            }
            return sb.Append(']').ToString();
        }

        /// <summary>A C identifier: <c>q_0_1</c>.</summary>
        public string Identifier()
        {
            if (_indices.Length == 0) return Name;
            var sb = new StringBuilder(Name);
            foreach (var i in _indices) sb.Append('_').Append(i < 0 ? "m" + (-i).ToString(CultureInfo.InvariantCulture) : i.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }
    }
}
