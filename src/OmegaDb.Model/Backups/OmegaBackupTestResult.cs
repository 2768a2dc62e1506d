namespace OmegaDb;

/// <summary>The checks Test-OmegaBackup runs, in the order it runs them.</summary>
public enum BackupCheck
{
    /// <summary>The dump's SHA-256 equals the manifest's.</summary>
    Checksum,

    /// <summary>pg_restore (or psql, for Plain) restores the dump into a sandbox without an error.</summary>
    Restore,

    /// <summary>The restored schema's fingerprint equals the manifest's.</summary>
    SchemaFingerprint,

    /// <summary>Every table holds as many rows as the manifest says.</summary>
    RowCounts,
}

/// <summary>One check of one backup, from Test-OmegaBackup.</summary>
public sealed class OmegaBackupTestResult
{
    public required OmegaBackup Backup { get; init; }

    public required BackupCheck Check { get; init; }

    public required bool Passed { get; init; }

    public string? Expected { get; init; }

    public string? Actual { get; init; }

    /// <summary>What went wrong, or what a check that did not run was waiting for.</summary>
    public string? Message { get; init; }

    /// <summary>The database the backup came from, so results pipe like every other object of a database.</summary>
    public string Database => Backup.Database;

    public override string ToString() => $"{Check}: {(Passed ? "passed" : "FAILED")}";
}
