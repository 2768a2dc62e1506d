using OmegaDb.Rehearsals;

namespace OmegaDb.Migrations;

/// <summary>What Invoke-OmegaMigration asks for; the production defaults are applied by the Effective* properties.</summary>
internal sealed record MigrationRunRequest : IMigrationSessionOptions
{
    public static readonly TimeSpan ProductionLockTimeout = TimeSpan.FromSeconds(5);
    public const int ProductionRetryCount = 3;

    public required OmegaDatabase Database { get; init; }

    public required IReadOnlyList<MigrationScript> Scripts { get; init; }

    /// <summary>Apply up to and including this version.</summary>
    public long? To { get; init; }

    public bool DryRun { get; init; }

    public TimeSpan? LockTimeout { get; init; }

    public TimeSpan? StatementTimeout { get; init; }

    public int? RetryCount { get; init; }

    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromMinutes(1);

    public HistoryTable History { get; init; } = HistoryTable.Default;

    /// <summary>Where rehearsals are recorded and looked up; null turns both off.</summary>
    public RehearsalLog? Rehearsals { get; init; }

    public bool SkipRehearsalCheck { get; init; }

    /// <summary>The lock timeout in force: the one given, else 5 s on a database marked Production.</summary>
    public TimeSpan? EffectiveLockTimeout => LockTimeout ?? (Database.IsProduction ? ProductionLockTimeout : null);

    public int EffectiveRetryCount => RetryCount ?? (Database.IsProduction ? ProductionRetryCount : 0);
}
