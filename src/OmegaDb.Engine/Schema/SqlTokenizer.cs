using System.Text;

namespace OmegaDb.Schema;

/// <summary>
/// Splits SQL text into tokens the way PostgreSQL's lexer does, as far as comparing printed
/// expressions and type names needs: identifiers fold to lower case unless quoted, strings and
/// quoted identifiers keep their text, comments and whitespace vanish.
/// </summary>
internal static class SqlTokenizer
{
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    public static List<SqlToken> Tokenize(string text)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && Next(text, i) == '-')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && Next(text, i) == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c == '"')
            {
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, ReadQuoted(text, ref i, '"')));
            }
            else if (c == '\'')
            {
                var start = i;
                ReadQuoted(text, ref i, '\'');
                tokens.Add(new SqlToken(SqlTokenKind.String, text[start..i]));
            }
            else if (c == '$' && TryReadDollarQuoted(text, ref i, out var dollarQuoted))
            {
                tokens.Add(new SqlToken(SqlTokenKind.String, dollarQuoted));
            }
            else if (char.IsDigit(c) || (c == '.' && char.IsDigit(Next(text, i))))
            {
                tokens.Add(new SqlToken(SqlTokenKind.Number, ReadNumber(text, ref i)));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '_' or '$'))
                {
                    i++;
                }

                var word = text[start..i];
                // E'...', B'...', X'...', N'...': a prefixed string constant is one token.
                if (word.Length == 1 && i < text.Length && text[i] == '\'' && "eEbBxXnN".Contains(word[0]))
                {
                    var literal = i;
                    ReadQuoted(text, ref i, '\'');
                    tokens.Add(new SqlToken(SqlTokenKind.String, word.ToUpperInvariant() + text[literal..i]));
                }
                else
                {
                    tokens.Add(new SqlToken(SqlTokenKind.Word, word.ToLowerInvariant()));
                }
            }
            else if (c == ':' && Next(text, i) == ':')
            {
                tokens.Add(new SqlToken(SqlTokenKind.Cast, "::"));
                i += 2;
            }
            else if ("()[],;.".Contains(c))
            {
                tokens.Add(new SqlToken(SqlTokenKind.Punctuation, c.ToString()));
                i++;
            }
            else if (OperatorChars.Contains(c))
            {
                tokens.Add(new SqlToken(SqlTokenKind.Operator, ReadOperator(text, ref i)));
            }
            else
            {
                tokens.Add(new SqlToken(SqlTokenKind.Other, c.ToString()));
                i++;
            }
        }

        return tokens;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    /// <summary>Reads a quoted run starting at <paramref name="i"/>; a doubled quote stands for one.</summary>
    private static string ReadQuoted(string text, ref int i, char quote)
    {
        var content = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (Next(text, i) == quote)
                {
                    content.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return content.ToString();
            }

            content.Append(text[i++]);
        }

        return content.ToString();
    }

    private static bool TryReadDollarQuoted(string text, ref int i, out string literal)
    {
        literal = string.Empty;
        var tagEnd = i + 1;
        while (tagEnd < text.Length && (char.IsLetterOrDigit(text[tagEnd]) || text[tagEnd] == '_'))
        {
            tagEnd++;
        }

        if (tagEnd >= text.Length || text[tagEnd] != '$' || (tagEnd > i + 1 && char.IsDigit(text[i + 1])))
        {
            return false; // $1 and the like: a parameter, read as other characters
        }

        var tag = text[i..(tagEnd + 1)];
        var close = text.IndexOf(tag, tagEnd + 1, StringComparison.Ordinal);
        var end = close < 0 ? text.Length : close + tag.Length;
        literal = text[i..end];
        i = end;
        return true;
    }

    private static string ReadNumber(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.' && char.IsDigit(Next(text, i)) || text[i] == '_'))
        {
            i++;
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var exponent = i + 1;
            if (exponent < text.Length && text[exponent] is '+' or '-')
            {
                exponent++;
            }

            if (exponent < text.Length && char.IsDigit(text[exponent]))
            {
                i = exponent;
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }
            }
        }

        return text[start..i].ToLowerInvariant();
    }

    /// <summary>
    /// PostgreSQL's rule: an operator stops before a comment, and a multi-character operator
    /// ends in + or - only when it also holds one of ~ ! @ # % ^ &amp; | ` ?, so that
    /// <c>a=-1</c> reads as <c>=</c> then <c>-</c>.
    /// </summary>
    private static string ReadOperator(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && OperatorChars.Contains(text[i])
               && !(text[i] == '-' && Next(text, i) == '-') && !(text[i] == '/' && Next(text, i) == '*'))
        {
            i++;
        }

        var op = text[start..i];
        if (op.Length > 1 && !op.Any(ch => "~!@#%^&|`?".Contains(ch)))
        {
            while (op.Length > 1 && op[^1] is '+' or '-')
            {
                op = op[..^1];
            }
        }

        i = start + op.Length;
        return op;
    }
}
