namespace OmegaDb.Schema.Expectations;

/// <summary>
/// Names as users write them: <c>users</c>, <c>public.users</c>, <c>"Users"</c>. A quoted part
/// matches exactly; an unquoted one ignores case (PostgreSQL folds it, and catalog names of
/// objects made without quotes are lower case anyway). Fewer parts match any qualifier.
/// </summary>
internal static class QualifiedName
{
    public readonly record struct Part(string Text, bool Quoted)
    {
        public bool Matches(string actual) =>
            string.Equals(Text, actual, Quoted ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

        public bool MatchesExactly(string actual) => string.Equals(Text, actual, StringComparison.Ordinal);
    }

    public static List<Part> Split(string name)
    {
        var parts = new List<Part>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var inQuotes = false;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '"')
            {
                if (inQuotes && i + 1 < name.Length && name[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    inQuotes = !inQuotes;
                    quoted = true;
                }
            }
            else if (c == '.' && !inQuotes)
            {
                parts.Add(new Part(current.ToString().Trim(), quoted));
                current.Clear();
                quoted = false;
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(new Part(current.ToString().Trim(), quoted));
        return parts;
    }

    /// <summary>True when the expected name's parts match the actual name's last parts.</summary>
    public static bool Matches(string expected, string actual)
    {
        var e = Split(expected);
        var a = Split(actual);
        return e.Count <= a.Count && e.Zip(a.Skip(a.Count - e.Count)).All(p => p.First.Matches(p.Second.Text));
    }
}
