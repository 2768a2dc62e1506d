namespace OmegaDb.Migrations;

/// <summary>
/// A backslash outside strings starts a psql meta-command (<c>\connect</c>, <c>\set</c>,
/// <c>\i</c>): psql runs those itself, the server has no idea what they are, and OmegaDb
/// sends statements to the server. Reported up front rather than as a syntax error midway.
/// </summary>
internal static class PsqlMetaCommandRule
{
    public static DryRunFinding? Check(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is { Kind: SqlTokenKind.Other, Text: "\\" } backslash)
            {
                var command = i + 1 < tokens.Count && tokens[i + 1].Offset == backslash.End ? "\\" + tokens[i + 1].Text : "\\";
                return DryRunFinding.At(DryRunFindingKind.Unsupported, statement, backslash,
                    $"'{command}' is a psql meta-command, not SQL: OmegaDb sends statements to the server, which cannot run it. Write it as SQL, or run it outside the migration.");
            }
        }

        return null;
    }
}
