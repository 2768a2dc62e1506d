namespace OmegaDb.Schema;

/// <summary>
/// Compares an expression a user writes (an index predicate, a key expression, a default)
/// with the one PostgreSQL prints back (pg_get_expr, pg_get_indexdef). Rules, both sides alike:
/// <list type="bullet">
/// <item>whitespace and comments do not count; words fold to lower case, string constants and
/// quoted identifiers keep theirs;</item>
/// <item>parentheses around the whole, around one token, around a call's argument, and around
/// the operands of OR, AND, NOT, IS and comparisons do not count (PostgreSQL prints them around
/// every such operator); others do: <c>a + b * c</c> does not match <c>(a + b) * c</c>;</item>
/// <item>a cast right after a constant is dropped (<c>'active'::text</c> is <c>'active'</c>,
/// <c>'-1'::integer</c> is <c>-1</c>), because a user writes the constant and PostgreSQL
/// prints the type it inferred; a constant cast to regclass is compared as a name;</item>
/// <item>LIKE, ILIKE and != are read as the operators PostgreSQL prints (~~, ~~*, &lt;&gt;).</item>
/// </list>
/// And in <see cref="Matches"/> only, for what the expected side leaves out: a cast that
/// PostgreSQL prints and the expectation does not write is ignored (it prints implicit casts,
/// such as <c>(email)::text</c> for a varchar column, and cannot tell them from written ones;
/// to pin a cast, write it), and so is a schema qualifier (<c>public.f(x)</c> matches
/// <c>f(x)</c>; <c>'public.s'::regclass</c> matches <c>'s'::regclass</c>).
/// Not rewritten: IN (...) (printed as = ANY (ARRAY[...])) and BETWEEN (printed as two
/// comparisons); write those the way PostgreSQL prints them.
/// </summary>
public static class SqlExpressionText
{
    /// <summary>The canonical text of one expression, for display and for exact comparison.</summary>
    public static string Normalize(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return SqlExpressionParser.Parse(expression).Render();
    }

    public static bool Matches(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        return Match(SqlExpressionParser.Parse(expected), SqlExpressionParser.Parse(actual));
    }

    private static bool Match(SqlExpression expected, SqlExpression actual) => (expected, actual) switch
    {
        (SqlBoolean e, SqlBoolean a) => e.Operator == a.Operator && e.Operands.Count == a.Operands.Count
            && e.Operands.Zip(a.Operands).All(p => Match(p.First, p.Second)),
        (SqlNot e, SqlNot a) => Match(e.Operand, a.Operand),
        (SqlIs e, SqlIs a) => e.Test == a.Test && Match(e.Operand, a.Operand)
            && (e.Right is null ? a.Right is null : a.Right is not null && Match(e.Right, a.Right)),
        (SqlComparison e, SqlComparison a) => e.Operator == a.Operator && Match(e.Left, a.Left) && Match(e.Right, a.Right),
        (SqlTerm e, SqlTerm a) => TermsMatch(e.Parts, a.Parts),
        _ => false,
    };

    /// <summary>Part by part, skipping in the actual text the casts and qualifiers the expected one leaves out.</summary>
    private static bool TermsMatch(IReadOnlyList<SqlTermPart> expected, IReadOnlyList<SqlTermPart> actual)
    {
        int e = 0, a = 0;
        while (e < expected.Count || a < actual.Count)
        {
            if (e < expected.Count && a < actual.Count && PartsMatch(expected[e], actual[a]))
            {
                e++;
                a++;
            }
            else if (a < actual.Count && actual[a] is SqlTokenPart { Token.Kind: SqlTokenKind.Cast })
            {
                a = SqlExpressionParser.SkipTypeName(actual, a + 1);
            }
            else if (a + 1 < actual.Count && actual[a] is SqlTokenPart { Token.IsName: true } && actual[a + 1] is SqlTokenPart dot && dot.Token.Is("."))
            {
                a += 2;
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    private static bool PartsMatch(SqlTermPart expected, SqlTermPart actual) => (expected, actual) switch
    {
        (SqlTokenPart e, SqlTokenPart a) => TokensMatch(e.Token, a.Token),
        (SqlGroup e, SqlGroup a) => e.Brackets == a.Brackets && e.Arguments.Count == a.Arguments.Count
            && e.Arguments.Zip(a.Arguments).All(p => Match(p.First, p.Second)),
        _ => false,
    };

    private static bool TokensMatch(SqlToken expected, SqlToken actual)
    {
        if (expected.Kind == SqlTokenKind.ObjectName || actual.Kind == SqlTokenKind.ObjectName)
        {
            return ObjectNameOf(expected) is { } e && ObjectNameOf(actual) is { } a
                && (e == a || (!e.Contains('.') && a.EndsWith("." + e, StringComparison.Ordinal)));
        }

        return expected == actual;
    }

    /// <summary>The name in a regclass constant, or in a plain string constant a user compares with one.</summary>
    private static string? ObjectNameOf(SqlToken token) => token.Kind switch
    {
        SqlTokenKind.ObjectName => token.Text,
        SqlTokenKind.String when token.Text.StartsWith('\'') => token.Text[1..^1].Replace("''", "'", StringComparison.Ordinal),
        _ => null,
    };
}
