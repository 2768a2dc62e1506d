namespace OmegaDb.Migrations;

/// <summary>What Undo-OmegaMigration asks for; the production defaults are applied by the Effective* properties, as for Invoke.</summary>
internal sealed record UndoRequest : IMigrationSessionOptions
{
    public required OmegaDatabase Database { get; init; }

    public required IReadOnlyList<MigrationScript> Scripts { get; init; }

    /// <summary>Undo this many of the newest applied migrations (1 when neither this nor <see cref="To"/> is given).</summary>
    public int? Count { get; init; }

    /// <summary>Undo every applied migration newer than this version, keeping it.</summary>
    public long? To { get; init; }

    public bool DryRun { get; init; }

    /// <summary>A backup that lets an undo destroy data, when it qualifies (see <see cref="BackupQualification"/>).</summary>
    public OmegaBackup? Backup { get; init; }

    /// <summary>Undo although data would be lost and no qualifying backup was given.</summary>
    public bool Force { get; init; }

    public TimeSpan? LockTimeout { get; init; }

    public TimeSpan? StatementTimeout { get; init; }

    public int? RetryCount { get; init; }

    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public HistoryTable History { get; init; } = HistoryTable.Default;

    public TimeSpan? EffectiveLockTimeout => LockTimeout ?? (Database.IsProduction ? MigrationRunRequest.ProductionLockTimeout : null);

    public int EffectiveRetryCount => RetryCount ?? (Database.IsProduction ? MigrationRunRequest.ProductionRetryCount : 0);
}
