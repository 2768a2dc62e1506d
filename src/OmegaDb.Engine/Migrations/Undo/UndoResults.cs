namespace OmegaDb.Migrations;

/// <summary>The error that stops an undo when undoing one migration fails.</summary>
internal static class UndoResults
{
    /// <param name="rehearsal">The failure came from the rolled-back rehearsal (a dry run, or the measurement before a real undo).</param>
    public static OmegaException FailureOf(OmegaDatabase database, OmegaMigrationResult failed, bool rehearsal)
    {
        var error = failed.Error!;
        var lockAdvice = error.SqlState == "55P03"
            ? " The down section waited too long for a lock that another session holds; run it again when that session is done, or raise -LockTimeout."
            : string.Empty;
        var kept = rehearsal
            ? " It failed in the rolled-back transaction that runs every down section before anything is undone: nothing was undone."
            : failed.Warnings.Any(w => w.Contains("stay applied", StringComparison.Ordinal))
                ? " Statements of this no-transaction down section that ran before the failure stay applied, and its history row stays."
                : " Nothing of its undo was kept; it is still applied. Older migrations were not undone.";
        return new OmegaException(UndoRehearsal.FailedErrorId, error.SqlState == "55P03" ? OmegaErrorCategory.ResourceBusy : OmegaErrorCategory.InvalidOperation,
            $"Undoing migration {failed.Version} ({failed.Name}) failed on {database.Name}{MigrationResults.Where(error)}: {MigrationResults.Describe(error)}{lockAdvice}{kept}",
            failed);
    }
}
