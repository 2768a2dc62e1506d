namespace OmegaDb.Migrations;

/// <summary>
/// A dry run with transaction control would commit what it should roll back; a real run
/// would commit part of a migration, so that a later failure leaves it half applied with
/// no history row. Both are refused before anything runs.
/// </summary>
internal static class TransactionControlGuard
{
    public static void ThrowIfAny(IReadOnlyList<StatementPlan> plans, OmegaDatabase database, bool dryRun)
    {
        var control = plans.SelectMany(p => p.TransactionControl.Select(f => $"{p.Script.FileName}:{f.Line}:{f.Column} {First(f.Statement.Text)}")).ToList();
        if (control.Count == 0)
        {
            return;
        }

        if (dryRun)
        {
            throw new OmegaException(MigrationRunner.DryRunRefusedErrorId, OmegaErrorCategory.InvalidOperation,
                $"The dry run was refused before anything ran: these statements end or control the transaction, so they would let the dry run commit: {string.Join("; ", control)}. " +
                "Remove them: OmegaDb runs each migration in its own transaction.", database);
        }

        throw new OmegaException(MigrationRunner.TransactionControlErrorId, OmegaErrorCategory.InvalidOperation,
            $"Nothing was run on {database.Name}: these statements end or control the transaction that OmegaDb runs each migration in, with its verify section and history row, " +
            $"so a failure after them would leave part of the migration applied and unrecorded: {string.Join("; ", control)}. " +
            "Remove them; a migration whose statements cannot run in a transaction is marked '-- omega:no-transaction'.", database);
    }

    private static string First(string text)
    {
        var line = text.Trim().Split('\n')[0].Trim();
        return line.Length > 60 ? line[..60] + "..." : line;
    }
}
