namespace OmegaDb.Migrations;

/// <summary>
/// Whether a backup can bring back what an undo destroys: a dump of this database (same
/// database name, host and port), with its rows (not schema-only), whose dump is still on
/// disk, taken after the newest of the undone migrations was applied (an older dump lacks
/// what was written since, and may predate the very columns being dropped).
/// </summary>
internal static class BackupQualification
{
    /// <summary>Null when <paramref name="backup"/> qualifies; otherwise why not, in a sentence.</summary>
    public static string? WhyNot(OmegaBackup backup, OmegaDatabase database, IReadOnlyList<UndoTarget> targets)
    {
        if (!string.Equals(backup.Database, database.Database, StringComparison.Ordinal) ||
            !string.Equals(backup.Host, database.Host, StringComparison.OrdinalIgnoreCase) ||
            backup.Port != database.Port)
        {
            return $"it is a backup of database {backup.Database} on {backup.Host}:{backup.Port}, not of {database.Database} on {database.Host}:{database.Port}";
        }

        if (backup.SchemaOnly)
        {
            return "it is schema-only (-SchemaOnly), so it holds none of the rows that would be lost";
        }

        if (!File.Exists(backup.Path) && !Directory.Exists(backup.Path))
        {
            return $"its dump {backup.Path} no longer exists";
        }

        var newest = targets.MaxBy(t => t.Entry.AppliedAt)!;
        if (backup.CreatedAt <= newest.Entry.AppliedAt)
        {
            return $"it was taken at {backup.CreatedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, before migration {newest.Script.Version} ({newest.Script.Name}) was applied at {newest.Entry.AppliedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, so it lacks what that migration and everything since wrote";
        }

        return null;
    }
}
