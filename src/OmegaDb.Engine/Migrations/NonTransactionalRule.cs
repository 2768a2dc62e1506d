namespace OmegaDb.Migrations;

/// <summary>
/// Finds statements PostgreSQL refuses inside a transaction block ("cannot run inside a
/// transaction block"), which a dry run therefore cannot rehearse as written. Where removing
/// CONCURRENTLY gives a statement with the same end state (CREATE/DROP INDEX, REINDEX of an
/// index or table, DETACH PARTITION), the finding carries that form for the dry run; it takes
/// stronger locks than the real run will, which the message says.
/// </summary>
internal static class NonTransactionalRule
{
    public static DryRunFinding? Check(SqlStatement statement)
    {
        var kind = StatementKind.Describe(statement);
        var tokens = statement.Tokens;
        return kind switch
        {
            "CREATE INDEX" or "DROP INDEX" => Concurrently(statement, KeywordAfter(tokens, "INDEX"), kind),
            "REINDEX" => Reindex(statement),
            "ALTER TABLE" => DetachPartition(statement),
            "CREATE DATABASE" or "DROP DATABASE" or "CREATE TABLESPACE" or "DROP TABLESPACE" or "ALTER SYSTEM" or "VACUUM" => Refused(statement, kind),
            "ALTER DATABASE" when new TokenReader(tokens, 2).FindAtTopLevel("TABLESPACE") is var i && i > 0 && tokens[i - 1].IsKeyword("SET") =>
                Refused(statement, "ALTER DATABASE ... SET TABLESPACE"),
            "CLUSTER" when ClustersEverything(tokens) => Refused(statement, "CLUSTER without a table name"),
            "DISCARD" when tokens.Count > 1 && tokens[1].IsKeyword("ALL") => Refused(statement, "DISCARD ALL"),
            "CREATE SUBSCRIPTION" when !Option(tokens, "connect", false) && !Option(tokens, "create_slot", false) =>
                Refused(statement, "CREATE SUBSCRIPTION that creates a replication slot"),
            "ALTER SUBSCRIPTION" => AlterSubscription(statement),
            "DROP SUBSCRIPTION" => Refused(statement, "DROP SUBSCRIPTION of a subscription with a replication slot"),
            _ => null,
        };
    }

    /// <summary>The token right after the first <paramref name="keyword"/>, where CONCURRENTLY goes.</summary>
    private static SqlToken? KeywordAfter(IReadOnlyList<SqlToken> tokens, string keyword)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].IsKeyword(keyword))
            {
                return tokens[i + 1];
            }
        }

        return null;
    }

    private static DryRunFinding? Concurrently(SqlStatement statement, SqlToken? candidate, string plain) =>
        candidate?.IsKeyword("CONCURRENTLY") == true ? Rewritten(statement, candidate, plain) : null;

    private static DryRunFinding? Reindex(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens, 1);
        var options = reader.SkipParenthesized();
        var target = reader.AcceptAny("INDEX", "TABLE", "SCHEMA", "DATABASE", "SYSTEM");
        if (target is null)
        {
            return null;
        }

        var keyword = reader.Peek()?.IsKeyword("CONCURRENTLY") == true ? reader.Peek() : null;
        if (target.IsKeyword("SCHEMA", "DATABASE", "SYSTEM"))
        {
            return Refused(statement, $"REINDEX {target.Text.ToUpperInvariant()}");
        }

        // REINDEX (CONCURRENTLY) TABLE t: blanking the option would leave "( )", which does not parse.
        if (keyword is null && OptionIsOn(options, "CONCURRENTLY"))
        {
            return Refused(statement, "REINDEX (CONCURRENTLY)");
        }

        return keyword is null ? null : Rewritten(statement, keyword, "REINDEX");
    }

    private static DryRunFinding? DetachPartition(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].IsKeyword("DETACH") && tokens[i + 1].IsKeyword("PARTITION"))
            {
                var reader = new TokenReader(tokens, i + 2);
                reader.ReadName();
                if (reader.Peek() is { } next && next.IsKeyword("CONCURRENTLY"))
                {
                    return Rewritten(statement, next, "ALTER TABLE ... DETACH PARTITION");
                }
            }
        }

        return null;
    }

    private static bool ClustersEverything(IReadOnlyList<SqlToken> tokens)
    {
        var reader = new TokenReader(tokens, 1);
        reader.SkipParenthesized();
        reader.AcceptAny("VERBOSE");
        return reader.AtEnd;
    }

    private static DryRunFinding? AlterSubscription(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens, 2);
        reader.ReadName();
        if (reader.Is("REFRESH", "PUBLICATION"))
        {
            return Refused(statement, "ALTER SUBSCRIPTION ... REFRESH PUBLICATION");
        }

        // SET, ADD and DROP PUBLICATION refresh the subscription unless told not to.
        return reader.AcceptAny("SET", "ADD", "DROP") is { } verb && reader.Is("PUBLICATION") && !Option(statement.Tokens, "refresh", false)
            ? Refused(statement, $"ALTER SUBSCRIPTION ... {verb.Text.ToUpperInvariant()} PUBLICATION with refresh")
            : null;
    }

    /// <summary>Whether a <c>WITH (name = value)</c> option of the statement is given as <paramref name="value"/>.</summary>
    private static bool Option(IReadOnlyList<SqlToken> tokens, string name, bool value)
    {
        var with = new TokenReader(tokens).FindAtTopLevel("WITH");
        if (with < 0)
        {
            return false;
        }

        var options = new TokenReader(tokens, with + 1).SkipParenthesized();
        return new TokenReader(options).RestAsList().Any(option =>
            option.Count > 0 && option[0].Identifier == name && BooleanValue(option.Skip(1).Where(t => t.Text != "=").ToList()) == value);
    }

    /// <summary>For options written <c>(NAME [boolean], ...)</c>, as REINDEX takes them.</summary>
    private static bool OptionIsOn(IReadOnlyList<SqlToken> options, string name) =>
        new TokenReader(options).RestAsList().Any(option =>
            option.Count > 0 && option[0].IsKeyword(name) && BooleanValue(option.Skip(1).ToList()) != false);

    /// <summary>A PostgreSQL boolean option value; an option without a value is true.</summary>
    private static bool? BooleanValue(IReadOnlyList<SqlToken> value)
    {
        if (value.Count == 0)
        {
            return true;
        }

        var text = value[0].Kind is SqlTokenKind.String ? value[0].Text.Trim('\'') : value[0].Text;
        return text.ToLowerInvariant() switch
        {
            "true" or "on" or "1" or "yes" => true,
            "false" or "off" or "0" or "no" => false,
            _ => null,
        };
    }

    private static DryRunFinding Refused(SqlStatement statement, string what) =>
        DryRunFinding.AtStart(DryRunFindingKind.NotTransactional, statement,
            $"{what} cannot run inside a transaction block, so the dry run cannot rehearse it and reports it as not rehearsed. "
            + "It can only run in a migration marked '-- omega:no-transaction'.");

    private static DryRunFinding Rewritten(SqlStatement statement, SqlToken concurrently, string plain)
    {
        var start = concurrently.Offset - statement.Offset;
        var text = string.Concat(statement.Text.AsSpan(0, start), new string(' ', concurrently.Text.Length), statement.Text.AsSpan(start + concurrently.Text.Length));
        var rewrite = new SqlStatement(text, statement.Offset, statement.Line, statement.Column, statement.Tokens.Where(t => !ReferenceEquals(t, concurrently)).ToList());
        return DryRunFinding.At(DryRunFindingKind.NotTransactional, statement, concurrently,
            $"{plain} CONCURRENTLY cannot run inside a transaction block. The dry run rehearses it as a plain {plain}, which gives the same result "
            + $"but takes stronger locks than the real run will. The real run needs the migration marked '-- omega:no-transaction'.") with { Rewrite = rewrite };
    }
}
