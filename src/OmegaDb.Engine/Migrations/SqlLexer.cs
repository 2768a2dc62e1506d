namespace OmegaDb.Migrations;

/// <summary>
/// Tokenises PostgreSQL SQL the way the server's own scanner (scan.l) draws token
/// boundaries, with standard_conforming_strings on, because a statement split or a keyword
/// found in the wrong place would make a dry run lie. It does not parse: it only knows where
/// strings, comments, identifiers and statement ends are.
/// </summary>
/// <remarks>
/// Lines end at <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>, as a line comment does in
/// PostgreSQL. Columns count UTF-16 code units from 1.
/// </remarks>
internal static class SqlLexer
{
    public static IReadOnlyList<SqlToken> Tokenize(string source) => Tokenize(source, 0, source.Length, 1, 1);

    /// <summary>True when the character at <paramref name="index"/> ends a line; in <c>\r\n</c> only the <c>\n</c> does.</summary>
    public static bool EndsLine(string text, int index) =>
        text[index] == '\n' || (text[index] == '\r' && (index + 1 == text.Length || text[index + 1] != '\n'));

    /// <summary>
    /// Tokenises <c>source[start..end]</c>, for example the body of a DO block, reporting
    /// offsets in <paramref name="source"/> and positions counted on from
    /// <paramref name="line"/> and <paramref name="column"/>.
    /// </summary>
    /// <exception cref="SqlSyntaxException">A string, quoted identifier, comment or dollar quote does not end.</exception>
    public static IReadOnlyList<SqlToken> Tokenize(string source, int start, int end, int line, int column)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, source.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, end);
        return new Scanner(source, start, end, line, column).Run();
    }

    private sealed class Scanner(string source, int start, int end, int line, int column)
    {
        // PostgreSQL's op_chars; a run of them is one operator, within the limits of TrimOperator.
        private const string OperatorChars = "~!@#^&|`?+-*/%<>=";
        private const string OperatorCharsAllowingTrailingSign = "~!@#^&|`?%";

        private readonly List<SqlToken> _tokens = [];
        private int _pos = start;
        private int _line = line;
        private int _column = column;

        public List<SqlToken> Run()
        {
            while (_pos < end)
            {
                var tokenStart = _pos;
                var (tokenLine, tokenColumn) = (_line, _column);
                var (kind, tokenEnd) = Scan(tokenStart, tokenLine, tokenColumn);
                MoveTo(tokenEnd);
                _tokens.Add(new SqlToken(kind, source[tokenStart..tokenEnd], tokenStart, tokenLine, tokenColumn));
            }

            return _tokens;
        }

        private char At(int i) => i < end ? source[i] : '\0';

        private void MoveTo(int target)
        {
            for (; _pos < target; _pos++)
            {
                if (EndsLine(source, _pos))
                {
                    _line++;
                    _column = 1;
                }
                else
                {
                    _column++;
                }
            }
        }

        private (SqlTokenKind Kind, int End) Scan(int p, int tokenLine, int tokenColumn)
        {
            var c = source[p];
            var next = At(p + 1);
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r' or '\f' or '\v':
                    var w = p + 1;
                    while (w < end && At(w) is ' ' or '\t' or '\n' or '\r' or '\f' or '\v')
                    {
                        w++;
                    }

                    return (SqlTokenKind.Whitespace, w);
                case '-' when next == '-':
                    var eol = source.AsSpan(p, end - p).IndexOfAny('\n', '\r');
                    return (SqlTokenKind.LineComment, eol < 0 ? end : p + eol);
                case '/' when next == '*':
                    return (SqlTokenKind.BlockComment, BlockCommentEnd(p, tokenLine, tokenColumn));
                case '\'':
                    return (SqlTokenKind.String, QuotedEnd(p, '\'', backslashEscapes: false, tokenLine, tokenColumn, "string"));
                case '"':
                    return (SqlTokenKind.QuotedIdentifier, QuotedIdentifierEnd(p, tokenLine, tokenColumn));
                case '$':
                    return Dollar(p, tokenLine, tokenColumn);
                case ';':
                    return (SqlTokenKind.Semicolon, p + 1);
                case '(' or ')' or '[' or ']' or ',':
                    return (SqlTokenKind.Punctuation, p + 1);
                case ':':
                    return (SqlTokenKind.Punctuation, next is ':' or '=' ? p + 2 : p + 1);
                case '.' when char.IsAsciiDigit(next):
                    return (SqlTokenKind.Number, NumberEnd(p));
                case '.':
                    return (SqlTokenKind.Punctuation, next == '.' ? p + 2 : p + 1);
            }

            if (char.IsAsciiDigit(c))
            {
                return (SqlTokenKind.Number, NumberEnd(p));
            }

            if (IsIdentifierStart(c))
            {
                return WordOrPrefixedString(p, tokenLine, tokenColumn);
            }

            if (OperatorChars.Contains(c))
            {
                return (SqlTokenKind.Operator, OperatorEnd(p));
            }

            return (SqlTokenKind.Other, p + 1);
        }

        private static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

        private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c) || c == '$';

        private static bool IsDollarTagPart(char c) => IsIdentifierStart(c) || char.IsAsciiDigit(c);

        private (SqlTokenKind, int) WordOrPrefixedString(int p, int tokenLine, int tokenColumn)
        {
            var c = char.ToUpperInvariant(source[p]);
            var next = At(p + 1);
            if (next == '\'')
            {
                switch (c)
                {
                    case 'E':
                        return (SqlTokenKind.EscapeString, QuotedEnd(p + 1, '\'', backslashEscapes: true, tokenLine, tokenColumn, "escape string"));
                    case 'N':
                        return (SqlTokenKind.String, QuotedEnd(p + 1, '\'', backslashEscapes: false, tokenLine, tokenColumn, "string"));
                    case 'B':
                        return (SqlTokenKind.BitString, SimpleQuotedEnd(p + 1, tokenLine, tokenColumn, "bit string"));
                    case 'X':
                        return (SqlTokenKind.HexString, SimpleQuotedEnd(p + 1, tokenLine, tokenColumn, "hexadecimal string"));
                }
            }

            if (c == 'U' && next == '&')
            {
                // A Unicode escape string is delimited like a standard one; the escapes are
                // decoded by the server after lexing, so U&'\' is complete.
                switch (At(p + 2))
                {
                    case '\'':
                        return (SqlTokenKind.UnicodeString, QuotedEnd(p + 2, '\'', backslashEscapes: false, tokenLine, tokenColumn, "Unicode string"));
                    case '"':
                        return (SqlTokenKind.UnicodeQuotedIdentifier, QuotedIdentifierEnd(p + 2, tokenLine, tokenColumn));
                }
            }

            var i = p + 1;
            while (i < end && IsIdentifierPart(source[i]))
            {
                i++;
            }

            return (SqlTokenKind.Word, i);
        }

        /// <summary>The end of a quote-delimited token whose opening quote is at <paramref name="open"/>.</summary>
        private int QuotedEnd(int open, char quote, bool backslashEscapes, int tokenLine, int tokenColumn, string what)
        {
            for (var i = open + 1; i < end; i++)
            {
                var c = source[i];
                if (backslashEscapes && c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    if (At(i + 1) != quote)
                    {
                        return i + 1;
                    }

                    i++;
                }
            }

            throw new SqlSyntaxException($"The {what} that starts here has no closing {quote}.", tokenLine, tokenColumn);
        }

        /// <summary>Bit and hex strings end at the next quote: PostgreSQL has no doubling for them.</summary>
        private int SimpleQuotedEnd(int open, int tokenLine, int tokenColumn, string what)
        {
            var close = source.IndexOf('\'', open + 1, end - open - 1);
            return close >= 0 ? close + 1 : throw new SqlSyntaxException($"The {what} that starts here has no closing '.", tokenLine, tokenColumn);
        }

        private int QuotedIdentifierEnd(int open, int tokenLine, int tokenColumn)
        {
            var tokenEnd = QuotedEnd(open, '"', backslashEscapes: false, tokenLine, tokenColumn, "quoted identifier");
            return tokenEnd - open == 2
                ? throw new SqlSyntaxException("A quoted identifier cannot be empty (\"\").", tokenLine, tokenColumn)
                : tokenEnd;
        }

        private int BlockCommentEnd(int p, int tokenLine, int tokenColumn)
        {
            var depth = 0;
            var nested = false;
            for (var i = p; i < end - 1; i++)
            {
                if (source[i] == '/' && source[i + 1] == '*')
                {
                    depth++;
                    nested |= depth > 1;
                    i++;
                }
                else if (source[i] == '*' && source[i + 1] == '/')
                {
                    depth--;
                    i++;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }
            }

            throw new SqlSyntaxException(
                nested
                    ? "The block comment that starts here is not closed: PostgreSQL nests /* */ comments, so each inner /* needs its own */."
                    : "The block comment that starts here has no closing */.",
                tokenLine, tokenColumn);
        }

        private (SqlTokenKind, int) Dollar(int p, int tokenLine, int tokenColumn)
        {
            if (char.IsAsciiDigit(At(p + 1)))
            {
                var d = p + 1;
                while (char.IsAsciiDigit(At(d)))
                {
                    d++;
                }

                return (SqlTokenKind.Parameter, d);
            }

            // A tag is identifier characters other than '$', not starting with a digit.
            var i = p + 1;
            if (IsIdentifierStart(At(i)))
            {
                while (i < end && IsDollarTagPart(source[i]))
                {
                    i++;
                }
            }

            if (At(i) != '$')
            {
                return (SqlTokenKind.Other, p + 1);
            }

            var delimiter = source[p..(i + 1)];
            var bodyStart = i + 1;
            var close = source.IndexOf(delimiter, bodyStart, end - bodyStart, StringComparison.Ordinal);
            return close >= 0
                ? (SqlTokenKind.DollarString, close + delimiter.Length)
                : throw new SqlSyntaxException($"The dollar-quoted string that starts here has no closing {delimiter}.", tokenLine, tokenColumn);
        }

        private int NumberEnd(int p)
        {
            var i = p;
            if (source[i] == '0' && char.ToLowerInvariant(At(i + 1)) is 'x' or 'o' or 'b' && (char.IsAsciiHexDigit(At(i + 2)) || At(i + 2) == '_'))
            {
                i += 2;
                while (char.IsAsciiHexDigit(At(i)) || At(i) == '_')
                {
                    i++;
                }

                return i;
            }

            i = Digits(i);

            // "1..10" is an integer followed by "..", as in a PL/pgSQL FOR loop.
            if (At(i) == '.' && At(i + 1) != '.')
            {
                i = Digits(i + 1);
            }

            if (At(i) is 'e' or 'E')
            {
                var exponent = At(i + 1) is '+' or '-' ? i + 2 : i + 1;
                if (char.IsAsciiDigit(At(exponent)))
                {
                    i = Digits(exponent);
                }
            }

            return i;
        }

        private int Digits(int i)
        {
            while (char.IsAsciiDigit(At(i)) || (At(i) == '_' && char.IsAsciiDigit(At(i + 1))))
            {
                i++;
            }

            return i;
        }

        private int OperatorEnd(int p)
        {
            var i = p + 1;
            while (i < end && OperatorChars.Contains(source[i]))
            {
                // A comment starts inside what would be an operator: "*--x" is "*" then a comment.
                if ((source[i] == '-' && At(i + 1) == '-') || (source[i] == '/' && At(i + 1) == '*'))
                {
                    break;
                }

                i++;
            }

            // PostgreSQL ends a multi-character operator before a trailing + or - unless it holds
            // one of ~!@#^&|`?%, so that "x=-1" is "=" then "-1".
            var operatorText = source.AsSpan(p, i - p);
            if (operatorText.IndexOfAny(OperatorCharsAllowingTrailingSign) < 0)
            {
                while (i - p > 1 && source[i - 1] is '+' or '-')
                {
                    i--;
                }
            }

            return i;
        }
    }
}
