@{
    Synopsis    = 'Applies pending migrations, or rehearses them in a dry run that leaves nothing behind.'
    Description = @'
Invoke-OmegaMigration applies the pending migrations of a folder in version order and returns an OmegaMigrationResult for each: Status (Applied, DryRun, Failed), Duration, the schema after it, its Changes against the schema before it, the relation Locks it took and the RewrittenTables whose storage it rewrote (both measured inside its own transaction), the Verify outcome and Warnings.

Concurrency: a run takes a session-level advisory lock on a dedicated connection, so that concurrent runs apply each migration exactly once; a waiting run says who holds the lock (pid, application name, since when) and gives up after -LockWaitTimeout. The history is read again once the lock is taken. A run whose process dies releases the lock within seconds.

Transactions: each migration runs in its own transaction together with its verify section and its history row. A verify section passes when it runs without error and every value it returns is true or a non-zero number. A failed statement reports its SQLSTATE, message, file, line, column and hint; nothing of that migration stays, later migrations do not run, and the cmdlet ends with a terminating error so that runbooks stop. A COMMIT, ROLLBACK or other transaction control in a transactional migration, or in any verify section, would commit part of a migration, so the run is refused before anything runs. A -- omega:no-transaction migration runs statement by statement; what ran before a failure stays, and the result says so. An INVALID index left by a failed CREATE INDEX CONCURRENTLY is reported on the next run, which refuses to run a migration that would keep it through IF NOT EXISTS.

-DryRun runs every pending migration in one transaction, captures each result, and rolls everything back: the schema, the data and the history are as before. A script with transaction control (COMMIT, END, ROLLBACK, ABORT, PREPARE TRANSACTION...) outside strings, comments and function bodies is refused before anything runs. CREATE INDEX CONCURRENTLY and similar statements are rehearsed in their plain form and flagged; statements that cannot run in a transaction at all are reported as not rehearsable. Effects a rollback cannot undo (nextval, setval, dblink, COPY TO a file, pg_terminate_backend...) are warnings.

Timeouts and retries: -LockTimeout and -StatementTimeout apply to the migration's own statements. When a statement waits longer than the lock timeout for a lock, the migration is rolled back and retried -RetryCount times with a growing pause; the final error names the session that held the lock. On a database marked Production the defaults are a 5 second lock timeout and 3 retries, so a migration never queues production traffic behind it for long.

The production gate: every successful run or dry run on a sandbox is recorded in a rehearsal log (.omega/rehearsals.json in the migrations folder, or -RehearsalPath) with the schema fingerprint before it, the migrations' checksums and the verify outcome. On a database marked Production, Invoke-OmegaMigration first looks for a rehearsal of the same migrations that started from production's current fingerprint; without one it refuses and says what to run. -SkipRehearsalCheck overrides it after a confirmation.
'@
    Parameters  = @{
        Database           = 'The database to migrate: an OmegaDatabase or OmegaSandbox, or a connection string or URI. Accepts pipeline input, also by property name.'
        Path               = 'The migrations folder.'
        To                 = 'Apply migrations up to and including this version. Tab completes the versions in the folder.'
        DryRun             = 'Runs the pending migrations in one transaction, reports what they did, and rolls everything back.'
        LockTimeout        = 'How long a statement of a migration may wait for a lock before the migration is rolled back (and retried). Default: none, or 5 seconds on a database marked Production.'
        StatementTimeout   = 'How long any statement of a migration may run.'
        RetryCount         = 'How many times a migration rolled back by the lock timeout is tried again. Default: 0, or 3 on a database marked Production.'
        LockWaitTimeout    = 'How long to wait for another run''s migration lock. Default: one minute.'
        SkipRehearsalCheck = 'On a database marked Production, runs without a matching rehearsal, after a confirmation (skip it with -Confirm:$false).'
        HistoryTable       = 'The history table, as table or schema.table. Default: omegadb.migration_history.'
        RehearsalPath      = 'The rehearsal log to record in and to look up. Default: .omega/rehearsals.json in the migrations folder.'
    }
    Examples    = @(
        @{
            Title   = 'Rehearse, check, then apply'
            Code    = '$sandbox | Invoke-OmegaMigration -Path ./migrations -DryRun | Test-OmegaSchema -Expect ./expected-schema.psd1
$sandbox | Invoke-OmegaMigration -Path ./migrations
$prod | Invoke-OmegaMigration -Path ./migrations'
            Remarks = 'The dry run leaves nothing behind; the run on the sandbox is recorded as a rehearsal, which lets the production run through the gate when production has the same schema.'
        }
        @{
            Title   = 'What would lock or rewrite a table?'
            Code    = '$sandbox | Invoke-OmegaMigration ./migrations -DryRun | Select-Object Version, Name, RewrittenTables, @{ n = ''Locks''; e = { $_.Locks -join ''; '' } }'
            Remarks = 'ALTER COLUMN ... TYPE shows a rewrite and an AccessExclusiveLock; ADD COLUMN of a nullable column shows neither a rewrite nor a long lock.'
        }
        @{
            Title   = 'Stop a runbook on failure'
            Code    = '$ErrorActionPreference = ''Stop''
try { $prod | Invoke-OmegaMigration ./migrations -To 3 }
catch { Write-Host "Migration failed: $_"; exit 1 }'
            Remarks = 'A failure is a terminating error with the SQLSTATE, the file, line and column, and the hint.'
        }
    )
    Related     = @('Get-OmegaMigration', 'Test-OmegaSchema', 'New-OmegaSandbox')
}
