namespace OmegaDb.Schema;

/// <summary>
/// Reads an expression into a <see cref="SqlExpression"/>, lowest precedence first: OR, AND,
/// NOT, IS, comparison. Only operators at the top level count, outside parentheses, brackets
/// and CASE ... END. Before that the tokens are cleaned of what PostgreSQL adds when it
/// prints an expression (see <see cref="SqlExpressionText"/>).
/// </summary>
internal static class SqlExpressionParser
{
    private static readonly HashSet<string> ComparisonOperators = ["=", "<>", "<", ">", "<=", ">="];

    private static readonly HashSet<string> NumericTypes =
        ["integer", "int", "int4", "bigint", "int8", "smallint", "int2", "numeric", "decimal", "real", "float4", "double", "float8"];

    private static readonly HashSet<string> ObjectNameTypes =
        ["regclass", "regproc", "regprocedure", "regtype", "regoper", "regoperator", "regconfig", "regdictionary", "regnamespace", "regrole", "regcollation"];

    public static SqlExpression Parse(string text) => Parse(Clean(SqlTokenizer.Tokenize(text)));

    /// <summary>
    /// Index of the token after a type name that starts at <paramref name="at"/>: a possibly
    /// qualified name, the words of multi-word names, a modifier in parentheses, array brackets.
    /// </summary>
    public static int SkipTypeName(IReadOnlyList<SqlToken> tokens, int at)
    {
        if (at < tokens.Count && tokens[at].IsName)
        {
            at++;
        }

        while (at + 1 < tokens.Count && tokens[at].Is(".") && tokens[at + 1].IsName)
        {
            at += 2;
        }

        while (at < tokens.Count && tokens[at].Kind == SqlTokenKind.Word && tokens[at].Text is "varying" or "precision" or "with" or "without" or "time" or "zone")
        {
            at++;
        }

        if (at < tokens.Count && tokens[at].Is("("))
        {
            at = AfterClosing(tokens, at);
        }

        while (at < tokens.Count && tokens[at].Is("["))
        {
            at = AfterClosing(tokens, at);
        }

        return at;
    }

    /// <summary>The same over a term's parts, where a modifier or array brackets are groups.</summary>
    public static int SkipTypeName(IReadOnlyList<SqlTermPart> parts, int at)
    {
        var tokens = parts.Select(p => p is SqlTokenPart t ? t.Token : new SqlToken(SqlTokenKind.Other, "group")).ToList();
        var end = SkipTypeName(tokens, at);
        while (end < parts.Count && parts[end] is SqlGroup)
        {
            end++;
        }

        return end;
    }

    private static SqlExpression Parse(List<SqlToken> tokens)
    {
        tokens = StripEnclosingParentheses(tokens);

        var or = SplitTopLevel(tokens, "or");
        if (or.Count > 1)
        {
            return Flatten("or", or.Select(Parse));
        }

        var and = SplitTopLevel(tokens, "and");
        if (and.Count > 1)
        {
            return Flatten("and", and.Select(Parse));
        }

        if (tokens.Count > 1 && tokens[0].Is("not"))
        {
            return new SqlNot(Parse(tokens[1..]));
        }

        return TryParseIs(tokens) ?? TryParseComparison(tokens) ?? Term(tokens);
    }

    private static SqlTerm Term(List<SqlToken> tokens)
    {
        var parts = new List<SqlTermPart>();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Is("(") || tokens[i].Is("["))
            {
                var end = AfterClosing(tokens, i);
                var inner = tokens[(i + 1)..Math.Max(i + 1, end - 1)];
                var arguments = inner.Count == 0 ? [] : SplitTopLevel(inner, ",").Select(Parse).ToList();
                parts.Add(new SqlGroup(tokens[i].Is("["), arguments));
                i = end - 1;
            }
            else
            {
                parts.Add(new SqlTokenPart(tokens[i]));
            }
        }

        return new SqlTerm(parts);
    }

    private static SqlBoolean Flatten(string op, IEnumerable<SqlExpression> operands) =>
        new(op, operands.SelectMany(o => o is SqlBoolean b && b.Operator == op ? b.Operands : [o]).ToList());

    private static SqlExpression? TryParseIs(List<SqlToken> tokens)
    {
        var positions = TopLevel(tokens).Where(i => tokens[i].Is("is") || tokens[i].Is("isnull") || tokens[i].Is("notnull")).ToList();
        if (positions.Count != 1 || positions[0] == 0)
        {
            return null;
        }

        var at = positions[0];
        var operand = Parse(tokens[..at]);
        var tail = tokens[(at + 1)..];
        if (tokens[at].Text != "is")
        {
            return tail.Count == 0 ? new SqlIs(operand, tokens[at].Text == "isnull" ? "is null" : "is not null", null) : null;
        }

        var not = tail.Count > 0 && tail[0].Is("not") ? 1 : 0;
        var test = "is" + (not == 1 ? " not" : string.Empty);
        if (tail.Count == not + 1 && tail[not].Kind == SqlTokenKind.Word && tail[not].Text is "null" or "true" or "false" or "unknown")
        {
            return new SqlIs(operand, test + " " + tail[not].Text, null);
        }

        if (tail.Count > not + 2 && tail[not].Is("distinct") && tail[not + 1].Is("from"))
        {
            return new SqlIs(operand, test + " distinct from", Parse(tail[(not + 2)..]));
        }

        return null;
    }

    private static SqlExpression? TryParseComparison(List<SqlToken> tokens)
    {
        var positions = TopLevel(tokens).Where(i => tokens[i].Kind == SqlTokenKind.Operator && ComparisonOperators.Contains(tokens[i].Text)).ToList();
        if (positions.Count != 1 || positions[0] == 0 || positions[0] == tokens.Count - 1)
        {
            return null;
        }

        var at = positions[0];
        return new SqlComparison(Parse(tokens[..at]), tokens[at].Text, Parse(tokens[(at + 1)..]));
    }

    /// <summary>Splits at a keyword outside any nesting; the AND of BETWEEN x AND y is not a split.</summary>
    private static List<List<SqlToken>> SplitTopLevel(List<SqlToken> tokens, string keyword)
    {
        var parts = new List<List<SqlToken>>();
        var start = 0;
        var inBetween = false;
        foreach (var i in TopLevel(tokens))
        {
            if (tokens[i].Is("between"))
            {
                inBetween = true;
            }
            else if (tokens[i].Is(keyword))
            {
                if (keyword == "and" && inBetween)
                {
                    inBetween = false;
                    continue;
                }

                parts.Add(tokens[start..i]);
                start = i + 1;
            }
        }

        parts.Add(tokens[start..]);
        return parts;
    }

    /// <summary>Positions of the tokens outside parentheses, brackets and CASE ... END.</summary>
    private static IEnumerable<int> TopLevel(List<SqlToken> tokens)
    {
        var depth = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Is("(") || token.Is("[") || token.Is("case"))
            {
                depth++;
            }
            else if (token.Is(")") || token.Is("]") || token.Is("end"))
            {
                depth--;
            }
            else if (depth == 0)
            {
                yield return i;
            }
        }
    }

    private static List<SqlToken> StripEnclosingParentheses(List<SqlToken> tokens)
    {
        while (tokens.Count >= 2 && tokens[0].Is("(") && AfterClosing(tokens, 0) == tokens.Count)
        {
            tokens = tokens[1..^1];
        }

        return tokens;
    }

    /// <summary>Index after the bracket that closes the one at <paramref name="open"/>; the count when it never closes.</summary>
    private static int AfterClosing(IReadOnlyList<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].Is("(") || tokens[i].Is("["))
            {
                depth++;
            }
            else if ((tokens[i].Is(")") || tokens[i].Is("]")) && --depth == 0)
            {
                return i + 1;
            }
        }

        return tokens.Count;
    }

    /// <summary>Removes the decoration PostgreSQL prints and users leave out, on both sides alike.</summary>
    private static List<SqlToken> Clean(List<SqlToken> tokens)
    {
        var spelled = new List<SqlToken>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == SqlTokenKind.Number && spelled.Count > 0 && spelled[^1].Is("-") && IsUnaryPosition(spelled, spelled.Count - 1))
            {
                // -1 as a user writes it; PostgreSQL prints '-1'::integer, retyped to the same number.
                spelled[^1] = new SqlToken(SqlTokenKind.Number, "-" + token.Text);
            }
            else
            {
                spelled.Add(Spelled(token, tokens, ref i));
            }
        }

        // pg_get_viewdef ends a view's query with a semicolon; it never changes the meaning.
        while (spelled.Count > 0 && spelled[^1].Is(";"))
        {
            spelled.RemoveAt(spelled.Count - 1);
        }

        // Twice: (0)::numeric loses its parentheses only after the first pass.
        return WithoutConstantCasts(WithoutParenthesesAroundOneToken(WithoutConstantCasts(spelled)));
    }

    private static List<SqlToken> WithoutConstantCasts(List<SqlToken> tokens)
    {
        var cleaned = new List<SqlToken>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (IsConstant(token) && i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.Cast)
            {
                var typeStart = i + 2;
                var typeName = typeStart < tokens.Count ? tokens[typeStart].Text : string.Empty;
                i = SkipTypeName(tokens, typeStart) - 1;
                cleaned.Add(Retyped(token, typeName));
            }
            else
            {
                cleaned.Add(token);
            }
        }

        return cleaned;
    }

    private static bool IsConstant(SqlToken token) =>
        token.IsLiteral || (token.Kind == SqlTokenKind.Word && token.Text is "null" or "true" or "false");

    /// <summary>A constant whose cast was dropped: a number in quotes becomes the number, a name in quotes a name.</summary>
    private static SqlToken Retyped(SqlToken constant, string typeName)
    {
        if (constant.Kind != SqlTokenKind.String || !constant.Text.StartsWith('\''))
        {
            return constant;
        }

        var content = constant.Text[1..^1].Replace("''", "'", StringComparison.Ordinal);
        if (NumericTypes.Contains(typeName) && decimal.TryParse(content, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            return new SqlToken(SqlTokenKind.Number, content.ToLowerInvariant());
        }

        return ObjectNameTypes.Contains(typeName) ? new SqlToken(SqlTokenKind.ObjectName, content) : constant;
    }

    private static bool IsUnaryPosition(List<SqlToken> tokens, int minus) =>
        minus == 0 || tokens[minus - 1].Kind is SqlTokenKind.Operator or SqlTokenKind.Cast
            || tokens[minus - 1].Is("(") || tokens[minus - 1].Is(",") || tokens[minus - 1].Is("[")
            || (tokens[minus - 1].Kind == SqlTokenKind.Word && tokens[minus - 1].Text is "and" or "or" or "not" or "then" or "else" or "when" or "between");

    /// <summary>The operator PostgreSQL prints for a keyword form: LIKE is ~~, != is &lt;&gt;.</summary>
    private static SqlToken Spelled(SqlToken token, List<SqlToken> tokens, ref int i)
    {
        if (token.Is("!="))
        {
            return new SqlToken(SqlTokenKind.Operator, "<>");
        }

        if (token.Is("not") && i + 1 < tokens.Count && (tokens[i + 1].Is("like") || tokens[i + 1].Is("ilike")))
        {
            i++;
            return new SqlToken(SqlTokenKind.Operator, tokens[i].Text == "like" ? "!~~" : "!~~*");
        }

        return token.Is("like") ? new SqlToken(SqlTokenKind.Operator, "~~")
            : token.Is("ilike") ? new SqlToken(SqlTokenKind.Operator, "~~*")
            : token;
    }

    /// <summary>
    /// <c>(email)::text</c> is how PostgreSQL prints a cast of a column; the parentheses around
    /// a single token never change the meaning. A call's parentheses (after a name) stay.
    /// </summary>
    private static List<SqlToken> WithoutParenthesesAroundOneToken(List<SqlToken> tokens)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            for (var i = 0; i + 2 < tokens.Count; i++)
            {
                var single = tokens[i + 1];
                var afterCall = i > 0 && (tokens[i - 1].IsName || tokens[i - 1].Is(")") || tokens[i - 1].Is("]"));
                if (tokens[i].Is("(") && tokens[i + 2].Is(")") && !afterCall
                    && (single.IsName || single.IsLiteral || single.Kind == SqlTokenKind.ObjectName))
                {
                    tokens.RemoveAt(i + 2);
                    tokens.RemoveAt(i);
                    changed = true;
                }
            }
        }

        return tokens;
    }
}
