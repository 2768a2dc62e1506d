namespace OmegaDb.Migrations;

/// <summary>
/// Finds statements that start, end or prepare the transaction a migration runs in. Only a
/// statement's first keywords count: statements are split at top level, so a COMMIT inside a
/// string, a comment, a function body or a DO block never gets here as a statement of its own
/// (a COMMIT inside a DO block fails at run time inside a transaction, which rolls back).
/// </summary>
/// <remarks>
/// SAVEPOINT, RELEASE [SAVEPOINT] and ROLLBACK TO [SAVEPOINT] are allowed: they act within
/// the migration's transaction and cannot end it, so a dry run still rolls everything back.
/// </remarks>
internal static class TransactionControlRule
{
    public static DryRunFinding? Check(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens);
        var command = Command(reader);
        return command is null
            ? null
            : DryRunFinding.AtStart(DryRunFindingKind.TransactionControl, statement,
                $"{command} controls the transaction itself. OmegaDb runs each migration in a transaction of its own and commits it, or in a dry run rolls it back; "
                + $"{command} in the script would break that promise, so the dry run is refused before anything runs. Remove it; "
                + "for statements that cannot run inside a transaction, mark the migration with '-- omega:no-transaction'.");
    }

    private static string? Command(TokenReader reader)
    {
        if (reader.Is("COMMIT", "PREPARED") || reader.Is("ROLLBACK", "PREPARED") || reader.Is("START", "TRANSACTION") || reader.Is("PREPARE", "TRANSACTION"))
        {
            return $"{reader.Peek()!.Text.ToUpperInvariant()} {reader.Peek(1)!.Text.ToUpperInvariant()}";
        }

        if (reader.AcceptAny("BEGIN", "COMMIT", "END", "ABORT", "ROLLBACK") is not { } verb)
        {
            return null;
        }

        var noise = reader.AcceptAny("WORK", "TRANSACTION");
        if (verb.IsKeyword("ROLLBACK") && reader.Is("TO"))
        {
            return null;
        }

        return noise is null ? verb.Text.ToUpperInvariant() : $"{verb.Text.ToUpperInvariant()} {noise.Text.ToUpperInvariant()}";
    }
}
