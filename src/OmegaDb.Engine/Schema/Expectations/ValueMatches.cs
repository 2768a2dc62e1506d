namespace OmegaDb.Schema.Expectations;

/// <summary>The ways an expected value can be compared with the model's; null expected means "none".</summary>
internal static class ValueMatches
{
    public static bool Same(object? expected, object? actual) => SchemaValueText.AreEqual(expected, actual);

    public static bool IgnoringCase(object? expected, object? actual) =>
        string.Equals(SchemaValueText.Render(expected), SchemaValueText.Render(actual), StringComparison.OrdinalIgnoreCase);

    public static bool TypeName(object? expected, object? actual) => Both(expected, actual, PostgresTypeNames.Matches);

    public static bool Expression(object? expected, object? actual) => Both(expected, actual, SqlExpressionText.Matches);

    /// <summary><c>users</c> matches <c>public.users</c>; a trigger function may be written <c>touch()</c>.</summary>
    public static bool Name(object? expected, object? actual) =>
        Both(expected, actual, (e, a) => QualifiedName.Matches(WithoutCallParentheses(e), WithoutCallParentheses(a)));

    /// <summary>Collations print quoted and sometimes qualified (<c>pg_catalog."C"</c>); only the name counts, case included.</summary>
    public static bool Collation(object? expected, object? actual) =>
        Both(expected, actual, (e, a) => QualifiedName.Split(e)[^1].Text == QualifiedName.Split(a)[^1].Text);

    /// <summary>Column names in order.</summary>
    public static bool Names(object? expected, object? actual) =>
        Lists(expected, actual, (e, a) => QualifiedName.Matches(e, a));

    /// <summary>The same names in any order (a trigger's events).</summary>
    public static bool NameSet(object? expected, object? actual) =>
        expected is IReadOnlyList<string> e && actual is IReadOnlyList<string> a
        && e.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(a.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

    /// <summary>Index keys in order, each an expression with its opclass and ordering; ASC is the default PostgreSQL never prints.</summary>
    public static bool IndexKeys(object? expected, object? actual) =>
        Lists(expected, actual, (e, a) => SqlExpressionText.Matches(WithoutAscending(e), a));

    private static bool Both(object? expected, object? actual, Func<string, string, bool> match) =>
        expected is null ? actual is null : expected is string e && actual is string a && match(e, a);

    private static bool Lists(object? expected, object? actual, Func<string, string, bool> match) =>
        expected is IReadOnlyList<string> e && actual is IReadOnlyList<string> a
        && e.Count == a.Count && e.Zip(a).All(p => match(p.First, p.Second));

    private static string WithoutCallParentheses(string name) =>
        name.EndsWith("()", StringComparison.Ordinal) ? name[..^2] : name;

    private static string WithoutAscending(string key)
    {
        var trimmed = key.TrimEnd();
        return trimmed.EndsWith(" asc", StringComparison.OrdinalIgnoreCase) ? trimmed[..^4] : trimmed;
    }
}
