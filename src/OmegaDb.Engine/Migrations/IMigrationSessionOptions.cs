namespace OmegaDb.Migrations;

/// <summary>
/// What applying and undoing migrations share about the session they run in: the database,
/// its history table, the timeouts for the migration's own statements and the retries on a
/// lock timeout (with the production defaults already applied), and how long to wait for
/// another run's migration lock.
/// </summary>
internal interface IMigrationSessionOptions
{
    OmegaDatabase Database { get; }

    HistoryTable History { get; }

    TimeSpan? EffectiveLockTimeout { get; }

    TimeSpan? StatementTimeout { get; }

    int EffectiveRetryCount { get; }

    TimeSpan LockWaitTimeout { get; }
}
