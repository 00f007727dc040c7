using System.Text;

namespace Workbench.Emit
{
    /// <summary>An indenting line writer: generated sources stay readable and byte-for-byte deterministic ('\n' only).</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _sb = new StringBuilder();
        private int _indent;

        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0) _sb.Append(' ', 4 * _indent).Append(text);
            _sb.Append('\n');
            return this;
        }

        public SourceWriter Lines(System.Collections.Generic.IEnumerable<string> lines)
        {
            foreach (var l in lines) Line(l);
            return this;
        }

        public SourceWriter Open(string header)
        {
            Line(header);
            Line("{");
            _indent++;
            return this;
        }

        public SourceWriter Close(string tail = "}")
        {
            _indent--;
            Line(tail);
            return this;
        }

        public override string ToString() => _sb.ToString();
    }
}
