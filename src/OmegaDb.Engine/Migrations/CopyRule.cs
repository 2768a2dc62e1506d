namespace OmegaDb.Migrations;

/// <summary>
/// COPY is fine in a migration when it reads a server file into a table (the rows roll back)
/// or writes to STDOUT. Writing a server file or running a program are side effects a
/// rollback cannot undo; COPY FROM STDIN waits for rows from the client, which a migration
/// file cannot send (psql's inline data after the statement is not SQL).
/// </summary>
internal static class CopyRule
{
    public static DryRunFinding? Check(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens);
        if (reader.AcceptAny("COPY") is null)
        {
            return null;
        }

        if (reader.SkipParenthesized().Count == 0)
        {
            reader.ReadName();
            reader.SkipParenthesized();
        }

        var direction = reader.AcceptAny("TO", "FROM");
        var source = reader.Peek();
        if (direction is null || source is null)
        {
            return null;
        }

        var writes = direction.IsKeyword("TO");
        if (source.IsKeyword("PROGRAM"))
        {
            return DryRunFinding.At(DryRunFindingKind.NotUndoable, statement, source,
                $"COPY {(writes ? "TO" : "FROM")} PROGRAM runs a program on the database server, and a rollback does not undo what the program did.");
        }

        if (writes && source.Kind is SqlTokenKind.String or SqlTokenKind.EscapeString or SqlTokenKind.UnicodeString or SqlTokenKind.DollarString)
        {
            return DryRunFinding.At(DryRunFindingKind.NotUndoable, statement, source,
                "COPY TO a file writes the file on the database server, and a rollback does not remove it: the dry run writes it for real.");
        }

        return !writes && source.IsKeyword("STDIN")
            ? DryRunFinding.At(DryRunFindingKind.Unsupported, statement, source,
                "COPY FROM STDIN waits for rows from the client, which a migration file cannot send: data after the statement, as psql takes it, is not SQL. "
                + "Load the rows with INSERT, or with COPY FROM a file on the server.")
            : null;
    }
}
