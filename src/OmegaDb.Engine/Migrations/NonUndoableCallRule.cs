namespace OmegaDb.Migrations;

/// <summary>
/// Finds calls of <see cref="NonUndoableFunctions"/>: a function name, schema-qualified or
/// not, followed by <c>(</c>, outside strings and comments. A DO block's dollar-quoted
/// body runs, so it is lexed and searched too. Expressions that are only stored, not run
/// (a function or view body, a column default in CREATE TABLE or SET DEFAULT), are skipped,
/// since a warning about a call that never happens would teach users to ignore warnings.
/// </summary>
internal static class NonUndoableCallRule
{
    // Statements whose expressions are stored for later, not evaluated now.
    private static readonly HashSet<string> DefinitionOnly = new(StringComparer.Ordinal)
    {
        "CREATE FUNCTION", "CREATE PROCEDURE", "CREATE AGGREGATE", "CREATE VIEW", "CREATE RULE", "CREATE TRIGGER", "CREATE EVENT TRIGGER",
        "CREATE DOMAIN", "ALTER DOMAIN", "CREATE POLICY", "ALTER POLICY", "CREATE FOREIGN TABLE", "CREATE TYPE", "CREATE OPERATOR", "CREATE CAST",
        "ALTER FUNCTION", "ALTER PROCEDURE", "ALTER ROUTINE", "COMMENT", "GRANT", "REVOKE", "SECURITY LABEL",
    };

    // Words before a function name that make it a reference to the function, not a call.
    private static readonly string[] RoutineReferences = ["FUNCTION", "PROCEDURE", "ROUTINE", "AGGREGATE"];

    private static readonly HashSet<SqlToken> NoTokens = [];

    public static IEnumerable<DryRunFinding> Check(SqlStatement statement)
    {
        var kind = StatementKind.Describe(statement);
        if (kind == "DO")
        {
            return DoBodies(statement).SelectMany(body => Calls(statement, body, skip: NoTokens));
        }

        if (DefinitionOnly.Contains(kind) || kind.StartsWith("DROP ", StringComparison.Ordinal)
            || (kind == "CREATE TABLE" && new TokenReader(statement.Tokens).FindAtTopLevel("AS") < 0))
        {
            return [];
        }

        return Calls(statement, statement.Tokens, kind == "ALTER TABLE" ? SetDefaultActions(statement.Tokens) : NoTokens);
    }

    private static IEnumerable<DryRunFinding> Calls(SqlStatement statement, IReadOnlyList<SqlToken> tokens, HashSet<SqlToken> skip)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!tokens[i].IsName || !tokens[i + 1].IsPunctuation("(") || skip.Contains(tokens[i]))
            {
                continue;
            }

            var qualified = i >= 2 && tokens[i - 1].IsPunctuation(".") && tokens[i - 2].IsName;
            var nameStart = qualified ? i - 2 : i;
            if (nameStart > 0 && tokens[nameStart - 1].IsKeyword(RoutineReferences))
            {
                continue;
            }

            var name = tokens[i].Identifier!;
            if (NonUndoableFunctions.Effect(name, qualified ? tokens[i - 2].Identifier : null) is { } effect)
            {
                yield return DryRunFinding.At(DryRunFindingKind.NotUndoable, statement, tokens[nameStart], $"{name}() {effect}");
            }
        }
    }

    /// <summary>The significant tokens of each dollar-quoted body of a DO statement whose language is PL/pgSQL.</summary>
    private static IEnumerable<IReadOnlyList<SqlToken>> DoBodies(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        var language = tokens.Select((t, i) => (t, i)).FirstOrDefault(p => p.t.IsKeyword("LANGUAGE") && p.i + 1 < tokens.Count).i;
        if (language > 0 && tokens[language + 1].Identifier is { } name && name != "plpgsql")
        {
            yield break;
        }

        foreach (var body in tokens.Where(t => t.Kind == SqlTokenKind.DollarString))
        {
            // Lexed within the statement's text, then shifted, so offsets are the file's like every other token's.
            var start = body.Offset - statement.Offset + body.DollarDelimiter.Length;
            var end = body.End - statement.Offset - body.DollarDelimiter.Length;
            IReadOnlyList<SqlToken> inner;
            try
            {
                inner = SqlLexer.Tokenize(statement.Text, start, end, body.Line, body.Column + body.DollarDelimiter.Length);
            }
            catch (SqlSyntaxException)
            {
                // The server will report the broken body far better than a guess could.
                continue;
            }

            yield return inner.Where(t => !t.IsTrivia).Select(t => t with { Offset = t.Offset + statement.Offset }).ToList();
        }
    }

    /// <summary>The tokens of ALTER TABLE actions <c>ALTER [COLUMN] c SET DEFAULT ...</c>, which store the default without evaluating it.</summary>
    private static HashSet<SqlToken> SetDefaultActions(IReadOnlyList<SqlToken> tokens)
    {
        var reader = new TokenReader(tokens, 2);
        reader.Accept("IF", "EXISTS");
        reader.AcceptAny("ONLY");
        reader.ReadName();
        reader.AcceptSymbol("*");
        var skip = new HashSet<SqlToken>(ReferenceEqualityComparer.Instance);
        foreach (var action in reader.RestAsList())
        {
            var a = new TokenReader(action);
            if (a.AcceptAny("ALTER") is null)
            {
                continue;
            }

            a.AcceptAny("COLUMN");
            if (a.ReadName() is not null && a.Accept("SET", "DEFAULT"))
            {
                skip.UnionWith(action);
            }
        }

        return skip;
    }
}
