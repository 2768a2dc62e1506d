namespace OmegaDb.Schema.Expectations;

/// <summary>
/// The result of looking an expected name up in the actual schema: the object, or why there
/// is none (<c>&lt;missing&gt;</c>, <c>&lt;table missing&gt;</c>, <c>&lt;ambiguous: ...&gt;</c>),
/// and the name to show in assertions (the qualified one when found, the user's otherwise).
/// </summary>
internal readonly record struct Lookup<T>(T? Item, string DisplayName, string Problem) where T : class
{
    /// <summary>Something by that name exists, even if the name is ambiguous.</summary>
    public bool Exists => Item is not null || Problem.StartsWith("<ambiguous", StringComparison.Ordinal);
}

/// <summary>Finds objects by the names users write: bare or qualified, case folded unless quoted.</summary>
internal static class ObjectLookup
{
    /// <summary>
    /// A schema-level object, <c>name</c> or <c>schema.name</c>. A bare name found in several
    /// schemas is the one with the exact case, then the one in public, else ambiguous.
    /// </summary>
    public static Lookup<T> InSchemas<T>(IEnumerable<T> items, string name, Func<T, string> schemaOf, Func<T, string> nameOf, Func<T, string> display)
        where T : class
    {
        var parts = QualifiedName.Split(name);
        var last = parts[^1];
        QualifiedName.Part? schema = parts.Count > 1 ? parts[^2] : null;
        var candidates = items.Where(i => last.Matches(nameOf(i)) && (schema is not { } s || s.Matches(schemaOf(i)))).ToList();
        if (candidates.Count > 1)
        {
            candidates = Narrow(candidates, i => last.MatchesExactly(nameOf(i)));
        }

        if (candidates.Count > 1 && schema is null)
        {
            candidates = Narrow(candidates, i => schemaOf(i) == "public");
        }

        return Pick(candidates, name, display);
    }

    /// <summary>A column, index, constraint or trigger of a table that was found; <paramref name="children"/> is null when it was not.</summary>
    public static Lookup<T> InTable<T>(IReadOnlyList<T>? children, string owner, string ownerProblem, string name, Func<T, string> nameOf)
        where T : class
    {
        if (children is null)
        {
            return new Lookup<T>(null, owner + "." + name, ownerProblem);
        }

        var part = QualifiedName.Split(name) is [var single] ? single : new QualifiedName.Part(name, false);
        var candidates = Narrow(children.Where(c => part.Matches(nameOf(c))).ToList(), c => part.MatchesExactly(nameOf(c)));
        return Pick(candidates, owner + "." + name, c => owner + "." + nameOf(c));
    }

    private static List<T> Narrow<T>(List<T> candidates, Func<T, bool> preferred)
    {
        var narrowed = candidates.Where(preferred).ToList();
        return narrowed.Count > 0 ? narrowed : candidates;
    }

    private static Lookup<T> Pick<T>(List<T> candidates, string name, Func<T, string> display) where T : class => candidates.Count switch
    {
        1 => new Lookup<T>(candidates[0], display(candidates[0]), string.Empty),
        0 => new Lookup<T>(null, name, ExpectationText.Missing),
        _ => new Lookup<T>(null, name, $"<ambiguous: {string.Join(", ", candidates.Select(display))}>"),
    };
}
