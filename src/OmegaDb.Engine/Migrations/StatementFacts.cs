namespace OmegaDb.Migrations;

/// <summary>Small facts read off a statement's tokens.</summary>
internal static class StatementFacts
{
    /// <summary>
    /// The index a CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name statement makes,
    /// as PostgreSQL resolves the name; null for any other statement or an unnamed index.
    /// </summary>
    public static string? CreatedIndexName(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        var i = 0;
        if (!At(tokens, i++, "create"))
        {
            return null;
        }

        if (At(tokens, i, "unique"))
        {
            i++;
        }

        if (!At(tokens, i++, "index"))
        {
            return null;
        }

        if (At(tokens, i, "concurrently"))
        {
            i++;
        }

        if (At(tokens, i, "if") && At(tokens, i + 1, "not") && At(tokens, i + 2, "exists"))
        {
            i += 3;
        }

        if (i >= tokens.Count || At(tokens, i, "on") || !tokens[i].IsName)
        {
            return null;
        }

        var name = tokens[i].Identifier!;
        return i + 2 < tokens.Count && tokens[i + 1].IsPunctuation(".") && tokens[i + 2].IsName
            ? name + "." + tokens[i + 2].Identifier
            : name;
    }

    private static bool At(IReadOnlyList<SqlToken> tokens, int index, string keyword) =>
        index < tokens.Count && tokens[index].IsKeyword(keyword);
}
