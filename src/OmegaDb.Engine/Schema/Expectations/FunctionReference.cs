namespace OmegaDb.Schema.Expectations;

/// <summary>
/// A function as a user names it: <c>fn</c>, <c>app.fn</c> (any overload), or with argument
/// types, <c>fn(integer, text)</c>, compared through <see cref="PostgresTypeNames"/> with the
/// identity arguments PostgreSQL prints (which carry argument names and modes: <c>p_id integer</c>).
/// </summary>
internal sealed class FunctionReference
{
    private static readonly HashSet<string> Modes = new(["in", "out", "inout", "variadic"], StringComparer.OrdinalIgnoreCase);

    private FunctionReference(QualifiedName.Part? schema, QualifiedName.Part name, IReadOnlyList<string>? arguments)
    {
        Schema = schema;
        Name = name;
        Arguments = arguments;
    }

    public QualifiedName.Part? Schema { get; }

    public QualifiedName.Part Name { get; }

    /// <summary>Null when the user gave no parentheses: any overload matches.</summary>
    public IReadOnlyList<string>? Arguments { get; }

    public static FunctionReference? TryParse(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var namePart = open < 0 ? text : text[..open];
        IReadOnlyList<string>? arguments = null;
        if (open >= 0)
        {
            var close = text.LastIndexOf(')');
            if (close < open || text[(close + 1)..].Trim().Length > 0)
            {
                return null;
            }

            arguments = SplitArguments(text[(open + 1)..close]);
        }

        var parts = QualifiedName.Split(namePart);
        if (parts.Count > 2 || parts.Any(p => p.Text.Length == 0))
        {
            return null;
        }

        return new FunctionReference(parts.Count == 2 ? parts[0] : null, parts[^1], arguments);
    }

    public bool Matches(OmegaFunction function)
    {
        if (!Name.Matches(function.Name) || (Schema is { } schema && !schema.Matches(function.Schema)))
        {
            return false;
        }

        if (Arguments is null)
        {
            return true;
        }

        var actual = SplitArguments(function.Arguments);
        return Arguments.Count == actual.Count && Arguments.Zip(actual).All(p => ArgumentMatches(p.First, p.Second));
    }

    /// <summary>The printed argument may start with a mode and a name; the type is what remains.</summary>
    private static bool ArgumentMatches(string expected, string actual)
    {
        var expectedType = string.Join(' ', WithoutMode(Words(expected)));
        var words = WithoutMode(Words(actual));
        return PostgresTypeNames.Matches(expectedType, string.Join(' ', words))
            || (words.Count > 1 && PostgresTypeNames.Matches(expectedType, string.Join(' ', words.Skip(1))));
    }

    private static List<string> Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static List<string> WithoutMode(List<string> words) => words.Count > 1 && Modes.Contains(words[0]) ? words[1..] : words;

    /// <summary>Splits at commas outside parentheses and quotes: <c>numeric(12,2), text</c> is two.</summary>
    private static List<string> SplitArguments(string text)
    {
        var arguments = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"':
                    quoted = !quoted;
                    break;
                case '(' when !quoted:
                    depth++;
                    break;
                case ')' when !quoted:
                    depth--;
                    break;
                case ',' when !quoted && depth == 0:
                    arguments.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        var last = text[start..].Trim();
        if (last.Length > 0 || arguments.Count > 0)
        {
            arguments.Add(last);
        }

        return arguments;
    }
}
