namespace OmegaDb.Migrations;

/// <summary>The result of undoing one migration, and the error that stops an undo when one fails.</summary>
internal static class UndoResults
{
    public static OmegaMigrationResult Of(OmegaDatabase database, StatementPlan plan, MigrationResultStatus status, TimeSpan duration, int attempts) => new()
    {
        Database = database,
        Version = plan.Script.Version,
        Name = plan.Script.Name,
        Path = plan.Script.Path,
        Checksum = plan.Script.Checksum,
        Status = status,
        Duration = duration,
        Warnings = plan.Warnings,
        Attempts = attempts,
    };

    /// <param name="rehearsal">The failure came from the rolled-back rehearsal (a dry run, or the measurement before a real undo).</param>
    public static OmegaException FailureOf(OmegaDatabase database, OmegaMigrationResult failed, bool rehearsal)
    {
        var error = failed.Error!;
        var where = error.File is null ? string.Empty
            : error.Line is null ? $" in {Path.GetFileName(error.File)}"
            : $" at {Path.GetFileName(error.File)}:{error.Line}:{error.Column}";
        var hint = error.Hint is null ? string.Empty : $" Hint: {error.Hint}";
        var lockAdvice = error.SqlState == "55P03"
            ? " The down section waited too long for a lock that another session holds; run it again when that session is done, or raise -LockTimeout."
            : string.Empty;
        var kept = rehearsal
            ? " It failed in the rolled-back transaction that runs every down section before anything is undone: nothing was undone."
            : failed.Warnings.Any(w => w.Contains("stay applied", StringComparison.Ordinal))
                ? " Statements of this no-transaction down section that ran before the failure stay applied, and its history row stays."
                : " Nothing of its undo was kept; it is still applied. Older migrations were not undone.";
        return new OmegaException(UndoRehearsal.FailedErrorId, error.SqlState == "55P03" ? OmegaErrorCategory.ResourceBusy : OmegaErrorCategory.InvalidOperation,
            $"Undoing migration {failed.Version} ({failed.Name}) failed on {database.Name}{where}: {(error.SqlState is null ? string.Empty : error.SqlState + " ")}{error.Message}.{hint}{lockAdvice}{kept}",
            failed);
    }
}
