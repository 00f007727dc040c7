using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;

namespace Workbench.Symbolic
{
    /// <summary>A syntax error with the 1-based column where it was found.</summary>
    public sealed class ParseException : FormatException
    {
        public int Column { get; }
        public string Problem { get; }

        public ParseException(int column, string problem) : base($"column {column}: {problem}")
        {
            Column = column;
            Problem = problem;
        }
    }

    /// <summary>
    /// Reads the plain syntax: numbers (<c>3</c>, <c>2.5</c>, <c>1e-3</c>, all exact), symbols (<c>tau</c>,
    /// <c>q[0,1]</c>), <c>+ - * / ^</c> (^ binds tightest and is right-associative; -x^2 is -(x^2)), parentheses
    /// and <c>exp( ) log( ) sqrt( )</c>. Shunting-yard, so nesting depth costs heap, not stack.
    /// </summary>
    public static class Parser
    {
        public const int MaxLength = 50_000_000;

        private enum Op { Add, Sub, Mul, Div, Pow, Neg, Paren, Exp, Log, Sqrt }

        public static Expr Parse(string text, IEnumerable<string>? positiveSymbols = null)
        {
            if (text is null) throw new ArgumentNullException(nameof(text));
            if (text.Length > MaxLength) throw new ParseException(1, $"input is {text.Length} characters; the limit is {MaxLength}");
            var positive = positiveSymbols == null ? new HashSet<string>() : new HashSet<string>(positiveSymbols);
            var output = new Stack<Expr>();
            var ops = new Stack<(Op op, int col)>();
            bool expectOperand = true;
            int i = 0;
            int lastCol = 1;
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                if (i >= text.Length) break;
                char c = text[i];
                int col = i + 1;
                lastCol = col;
                if (expectOperand)
                {
                    if (char.IsDigit(c) || (c == '.' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
                    {
                        output.Push(Expr.Num(ReadNumber(text, ref i)));
                        expectOperand = false;
                    }
                    else if (char.IsLetter(c) || c == '_')
                    {
                        int s = i;
                        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                        var name = text.Substring(s, i - s);
                        int j = i;
                        while (j < text.Length && char.IsWhiteSpace(text[j])) j++;
                        if (j < text.Length && text[j] == '(' && (name == "exp" || name == "log" || name == "ln" || name == "sqrt"))
                        {
                            ops.Push((name == "exp" ? Op.Exp : name == "sqrt" ? Op.Sqrt : Op.Log, col));
                            i = j + 1;
                            continue; // still expecting the argument
                        }
                        if (j < text.Length && text[j] == '(')
                            throw new ParseException(col, $"unknown function '{name}' (known: exp, log, sqrt)");
                        var indices = new List<int>();
                        if (j < text.Length && text[j] == '[') { i = j; ReadIndices(text, ref i, indices); }
                        output.Push(Expr.Var(new Symbol(name, positive.Contains(name), indices.ToArray())));
                        expectOperand = false;
                    }
                    else if (c == '(') { ops.Push((Op.Paren, col)); i++; }
                    else if (c == '-') { ops.Push((Op.Neg, col)); i++; }
                    else if (c == '+') { i++; }
                    else throw new ParseException(col, c == ')' ? "expected an operand before ')'" : $"expected a number, symbol or '(' but found '{c}'");
                }
                else
                {
                    Op op;
                    switch (c)
                    {
                        case '+': op = Op.Add; break;
                        case '-': op = Op.Sub; break;
                        case '*': op = Op.Mul; break;
                        case '/': op = Op.Div; break;
                        case '^': op = Op.Pow; break;
                        case ')':
                        {
                            while (ops.Count > 0 && ops.Peek().op != Op.Paren && !IsFunction(ops.Peek().op)) Reduce(output, ops.Pop());
                            if (ops.Count == 0) throw new ParseException(col, "')' without a matching '('");
                            var open = ops.Pop();
                            if (IsFunction(open.op)) Reduce(output, open);
                            i++;
                            continue;
                        }
                        default:
                            throw new ParseException(col, char.IsLetterOrDigit(c) || c == '(' || c == '_'
                                ? $"expected an operator before '{c}' (write products with '*')"
                                : $"unexpected character '{c}'");
                    }
                    int p = Precedence(op);
                    while (ops.Count > 0)
                    {
                        var top = ops.Peek().op;
                        if (top == Op.Paren || IsFunction(top)) break;
                        int tp = Precedence(top);
                        if (tp > p || (tp == p && op != Op.Pow)) Reduce(output, ops.Pop()); else break;
                    }
                    ops.Push((op, col));
                    expectOperand = true;
                    i++;
                }
            }
            if (expectOperand)
                throw new ParseException(text.Length == 0 ? 1 : text.Length + 1, text.Trim().Length == 0 ? "empty expression" : "expression ends where an operand was expected");
            while (ops.Count > 0)
            {
                var o = ops.Pop();
                if (o.op == Op.Paren || IsFunction(o.op)) throw new ParseException(o.col, "'(' is never closed");
                Reduce(output, o);
            }
            return output.Pop();
        }

        private static bool IsFunction(Op op) => op == Op.Exp || op == Op.Log || op == Op.Sqrt;

        private static int Precedence(Op op) => op switch
        {
            Op.Add => 1, Op.Sub => 1, Op.Mul => 2, Op.Div => 2, Op.Neg => 3, Op.Pow => 4, _ => 0,
        };

        private static void Reduce(Stack<Expr> output, (Op op, int col) o)
        {
            if (o.op == Op.Neg || IsFunction(o.op))
            {
                var a = output.Pop();
                output.Push(o.op switch
                {
                    Op.Neg => Expr.Negate(a),
                    Op.Exp => Expr.Exp(a),
                    Op.Log => Expr.Log(a),
                    _ => Expr.Sqrt(a),
                });
                return;
            }
            var r = output.Pop();
            var l = output.Pop();
            try
            {
                output.Push(o.op switch
                {
                    Op.Add => l + r,
                    Op.Sub => l - r,
                    Op.Mul => l * r,
                    Op.Div => l / r,
                    _ => Expr.Pow(l, r),
                });
            }
            catch (DivideByZeroException e)
            {
                throw new ParseException(o.col, e.Message);
            }
        }

        private static BigRational ReadNumber(string text, ref int i)
        {
            int s = i;
            while (i < text.Length && char.IsDigit(text[i])) i++;
            if (i < text.Length && text[i] == '.') { i++; while (i < text.Length && char.IsDigit(text[i])) i++; }
            var value = BigRational.Parse(text.Substring(s, i - s));
            if (i + 1 < text.Length && (text[i] == 'e' || text[i] == 'E') && (char.IsDigit(text[i + 1]) ||
                ((text[i + 1] == '-' || text[i + 1] == '+') && i + 2 < text.Length && char.IsDigit(text[i + 2]))))
            {
                int es = i + 1;
                i += 2;
                while (i < text.Length && char.IsDigit(text[i])) i++;
                var expText = text.Substring(es, i - es);
                if (!int.TryParse(expText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e) || Math.Abs(e) > 100000)
                    throw new ParseException(s + 1, $"exponent '{expText}' is out of range");
                value *= BigRational.Pow(new BigRational(new BigInteger(10)), e);
            }
            return value;
        }

        private static void ReadIndices(string text, ref int i, List<int> indices)
        {
            int open = i + 1;
            i++; // '['
            while (true)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                int s = i;
                if (i < text.Length && text[i] == '-') i++;
                while (i < text.Length && char.IsDigit(text[i])) i++;
                if (s == i || (i - s == 1 && text[s] == '-'))
                    throw new ParseException(i + 1, i < text.Length ? $"expected an integer index but found '{text[i]}'" : "index list is never closed");
                if (!int.TryParse(text.Substring(s, i - s), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
                    throw new ParseException(s + 1, "index is out of range");
                indices.Add(v);
                while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
                if (i >= text.Length) throw new ParseException(open, "'[' is never closed");
                if (text[i] == ',') { i++; continue; }
                if (text[i] == ']') { i++; return; }
                throw new ParseException(i + 1, $"expected ',' or ']' in the index list but found '{text[i]}'");
            }
        }
    }
}
