using System;
using System.Collections.Generic;
using System.Numerics;

namespace Workbench.Symbolic
{
    public enum ExprKind { Number, Symbol, Add, Mul, Pow, Function }

    public enum FunctionKind { Exp, Log, Sqrt }

    /// <summary>
    /// An immutable expression tree (a DAG when subtrees are shared). Construction folds only the trivially sound
    /// cases (numbers, 0 and 1); equality of values is decided by <see cref="Canonical"/>, never by tree shape.
    /// Every algorithm over expressions is iterative (see <see cref="ExprWalk"/>), so depth is bounded by memory,
    /// not by the stack. Equality here is structural (same tree), which is what caching and CSE need.
    /// </summary>
    public sealed class Expr : IEquatable<Expr>
    {
        private static readonly Expr[] NoArgs = new Expr[0];
        private readonly Expr[] _args;
        private readonly int _hash;

        public ExprKind Kind { get; }
        /// <summary>The value of a <see cref="ExprKind.Number"/> node.</summary>
        public BigRational Value { get; }
        /// <summary>The symbol of a <see cref="ExprKind.Symbol"/> node.</summary>
        public Symbol? Symbol { get; }
        /// <summary>The function of a <see cref="ExprKind.Function"/> node.</summary>
        public FunctionKind Function { get; }
        /// <summary>Operands: terms of Add, factors of Mul, (base, exponent) of Pow, the argument of a function.</summary>
        public IReadOnlyList<Expr> Args => _args;
        /// <summary>Longest path to a leaf (leaves are 0).</summary>
        public int Depth { get; }
        internal Expr[] ArgArray => _args;

        private Expr(ExprKind kind, BigRational value, Symbol? symbol, FunctionKind function, Expr[] args)
        {
            Kind = kind; Value = value; Symbol = symbol; Function = function; _args = args;
            unchecked
            {
                int h = (int)kind * 1000003;
                int depth = 0;
                if (kind == ExprKind.Number) h ^= value.GetHashCode();
                else if (kind == ExprKind.Symbol) h ^= symbol!.GetHashCode();
                else if (kind == ExprKind.Function) h ^= (int)function * 7919;
                foreach (var a in args) { h = h * 31 + a._hash; if (a.Depth + 1 > depth) depth = a.Depth + 1; }
                _hash = h;
                Depth = depth;
            }
        }

        public static readonly Expr Zero = new Expr(ExprKind.Number, BigRational.Zero, null, default, NoArgs);
        public static readonly Expr One = new Expr(ExprKind.Number, BigRational.One, null, default, NoArgs);
        public static readonly Expr MinusOne = new Expr(ExprKind.Number, BigRational.MinusOne, null, default, NoArgs);
        public static readonly Expr Half = new Expr(ExprKind.Number, new BigRational(1, 2), null, default, NoArgs);

        public static Expr Num(BigRational value) =>
            value.IsZero ? Zero : value.IsOne ? One : new Expr(ExprKind.Number, value, null, default, NoArgs);
        public static Expr Num(long numerator, long denominator) => Num(new BigRational(numerator, denominator));
        public static Expr Var(Symbol symbol) => new Expr(ExprKind.Symbol, default, symbol ?? throw new ArgumentNullException(nameof(symbol)), default, NoArgs);
        public static Expr Var(string name, params int[] indices) => Var(new Symbol(name, indices));

        public static implicit operator Expr(int v) => Num(v);
        public static implicit operator Expr(long v) => Num(v);
        public static implicit operator Expr(BigRational v) => Num(v);
        public static implicit operator Expr(Symbol s) => Var(s);

        public bool IsNumber => Kind == ExprKind.Number;
        public bool IsZero => Kind == ExprKind.Number && Value.IsZero;
        public bool IsOne => Kind == ExprKind.Number && Value.IsOne;

        /// <summary>A sum; numbers are folded and zeros dropped, nothing else.</summary>
        public static Expr Add(params Expr[] terms) => Add((IEnumerable<Expr>)terms);

        public static Expr Add(IEnumerable<Expr> terms)
        {
            var list = new List<Expr>();
            BigRational constant = BigRational.Zero;
            foreach (var t in terms)
            {
                if (t is null) throw new ArgumentNullException(nameof(terms));
                if (t.Kind == ExprKind.Number) constant += t.Value; else list.Add(t);
            }
            if (!constant.IsZero) list.Add(Num(constant));
            if (list.Count == 0) return Zero;
            if (list.Count == 1) return list[0];
            return new Expr(ExprKind.Add, default, null, default, list.ToArray());
        }

        /// <summary>A product; numbers are folded, a zero factor gives zero, ones are dropped.</summary>
        public static Expr Mul(params Expr[] factors) => Mul((IEnumerable<Expr>)factors);

        public static Expr Mul(IEnumerable<Expr> factors)
        {
            var list = new List<Expr>();
            BigRational constant = BigRational.One;
            foreach (var f in factors)
            {
                if (f is null) throw new ArgumentNullException(nameof(factors));
                if (f.Kind == ExprKind.Number) constant *= f.Value; else list.Add(f);
            }
            if (constant.IsZero) return Zero;
            if (!constant.IsOne) list.Insert(0, Num(constant));
            if (list.Count == 0) return One;
            if (list.Count == 1) return list[0];
            return new Expr(ExprKind.Mul, default, null, default, list.ToArray());
        }

        public static Expr Pow(Expr b, Expr exponent)
        {
            if (b is null) throw new ArgumentNullException(nameof(b));
            if (exponent is null) throw new ArgumentNullException(nameof(exponent));
            if (exponent.IsZero) return One;
            if (exponent.IsOne) return b;
            if (b.IsOne) return One;
            if (b.IsNumber && exponent.IsNumber && exponent.Value.IsInteger)
            {
                var e = exponent.Value.Numerator;
                if (b.Value.IsZero)
                {
                    if (e.Sign < 0) throw new DivideByZeroException("division by zero (the base is identically 0 and the power is negative)");
                    return Zero;
                }
                if (BigInteger.Abs(e) <= 4096) return Num(BigRational.Pow(b.Value, (int)e));
            }
            return new Expr(ExprKind.Pow, default, null, default, new[] { b, exponent });
        }

        public static Expr Pow(Expr b, int exponent) => Pow(b, Num(exponent));

        public static Expr Exp(Expr a) => a.IsZero ? One : new Expr(ExprKind.Function, default, null, FunctionKind.Exp, new[] { a });
        public static Expr Log(Expr a) => a.IsOne ? Zero : new Expr(ExprKind.Function, default, null, FunctionKind.Log, new[] { a });

        public static Expr Sqrt(Expr a)
        {
            if (a.IsNumber) { var r = a.Value.TrySqrt(); if (r.HasValue) return Num(r.Value); }
            return new Expr(ExprKind.Function, default, null, FunctionKind.Sqrt, new[] { a });
        }

        public static Expr Apply(FunctionKind f, Expr a) => f switch
        {
            FunctionKind.Exp => Exp(a),
            FunctionKind.Log => Log(a),
            _ => Sqrt(a),
        };

        public static Expr operator +(Expr a, Expr b) => Add(a, b);
        public static Expr operator -(Expr a, Expr b) => Add(a, Negate(b));
        public static Expr operator -(Expr a) => Negate(a);
        public static Expr operator *(Expr a, Expr b) => Mul(a, b);
        public static Expr operator /(Expr a, Expr b)
        {
            if (b.IsZero) throw new DivideByZeroException("division by the expression 0");
            if (b.IsNumber) return Mul(a, Num(b.Value.Reciprocal()));
            return Mul(a, Pow(b, MinusOne));
        }
        public static Expr operator ^(Expr a, Expr b) => Pow(a, b);

        public static Expr Negate(Expr a) => a.IsNumber ? Num(-a.Value) : Mul(MinusOne, a);

        /// <summary>Rebuilds a node of the same kind over new operands (used by the iterative rewriters).</summary>
        public Expr WithArgs(IReadOnlyList<Expr> args) => Kind switch
        {
            ExprKind.Add => Add(args),
            ExprKind.Mul => Mul(args),
            ExprKind.Pow => Pow(args[0], args[1]),
            ExprKind.Function => Apply(Function, args[0]),
            _ => this,
        };

        public override int GetHashCode() => _hash;
        public override bool Equals(object? obj) => obj is Expr e && Equals(e);

        /// <summary>Structural equality, iterative (safe on 100,000-deep trees).</summary>
        public bool Equals(Expr? other)
        {
            if (ReferenceEquals(this, other)) return true;
            if (other is null || other._hash != _hash) return false;
            var stack = new Stack<(Expr, Expr)>();
            stack.Push((this, other));
            while (stack.Count > 0)
            {
                var (a, b) = stack.Pop();
                if (ReferenceEquals(a, b)) continue;
                if (a._hash != b._hash || a.Kind != b.Kind || a._args.Length != b._args.Length) return false;
                switch (a.Kind)
                {
                    case ExprKind.Number: if (a.Value != b.Value) return false; break;
                    case ExprKind.Symbol: if (!a.Symbol!.Equals(b.Symbol)) return false; break;
                    case ExprKind.Function: if (a.Function != b.Function) return false; break;
                }
                for (int i = 0; i < a._args.Length; i++) stack.Push((a._args[i], b._args[i]));
            }
            return true;
        }

        public static bool operator ==(Expr? a, Expr? b) => a is null ? b is null : a.Equals(b);
        public static bool operator !=(Expr? a, Expr? b) => !(a == b);

        public override string ToString() => PlainPrinter.Print(this);
    }
}
