namespace OmegaDb.Migrations;

/// <summary>The result every run of a migration (applied, rehearsed or undone) starts from: which migration, how it went, what its plan warned about.</summary>
internal static class MigrationResults
{
    public static OmegaMigrationResult For(OmegaDatabase database, StatementPlan plan, MigrationResultStatus status, TimeSpan duration, int attempts) => new()
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

    /// <summary>" at 002_x.sql:4:7", " in 002_x.sql" or nothing: where an error message says the failure is.</summary>
    public static string Where(OmegaMigrationError error) =>
        error.File is null ? string.Empty
        : error.Line is null ? $" in {Path.GetFileName(error.File)}"
        : $" at {Path.GetFileName(error.File)}:{error.Line}:{error.Column}";

    /// <summary>"SQLSTATE message." followed by the server's hint, for an error message.</summary>
    public static string Describe(OmegaMigrationError error) =>
        $"{(error.SqlState is null ? string.Empty : error.SqlState + " ")}{error.Message}.{(error.Hint is null ? string.Empty : $" Hint: {error.Hint}")}";
}
