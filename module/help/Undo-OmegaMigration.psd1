@{
    Synopsis    = 'Undoes the newest applied migrations with their down sections, after reporting the data they would destroy.'
    Description = @'
Undo-OmegaMigration runs the -- omega:down sections of the newest applied migrations, newest first, and returns an OmegaMigrationResult for each with Status Undone (DryRun for -DryRun): the schema after it, its Changes, the Locks it took, the RewrittenTables, Warnings, and DataLoss, the data its down section destroyed. By default it undoes the newest migration; -Count undoes that many, -To undoes every migration newer than the given version and keeps that one (-To 0 undoes them all).

Each down section runs in one transaction together with the deletion of the migration's history row, under the same advisory migration lock as Invoke-OmegaMigration; the history is read again once the lock is taken. A -- omega:no-transaction migration is undone statement by statement, and its history row is removed once they all ran. A failed statement reports its SQLSTATE, message, file, line and column; nothing of that migration's undo stays (it is still applied), older migrations are not undone, and the cmdlet ends with a terminating error after writing the results of the migrations undone before it.

Before anything changes, the undo stops with an error naming the migration when one of the migrations to undo has no down section (OmegaDb.MigrationHasNoDown), its file is gone from the folder (OmegaDb.MigrationMissing), or its file changed since it was applied (OmegaDb.MigrationModified).

The data-loss report: before anything changes, every down section runs, newest first, in one transaction that is then rolled back, and right before each statement that destroys data its targets are counted in the database: the rows of a dropped table (and of its partitions or child tables), the non-null values of a dropped column, the rows a TRUNCATE empties (with CASCADE also those of the tables that reference it), the rows a DELETE's condition selects. Because the downs run in order, a later down that drops a table an earlier down changed is measured against the table as the earlier down left it. An object that does not exist (IF EXISTS) counts 0. Each loss is written as a warning ("002_user_profile_basic_fields: DROP COLUMN public.user_profiles.bio destroys 2,345 non-null values") and attached to the result's DataLoss. Statements inside DO blocks, functions or dynamic SQL are not seen. The rehearsal takes the same locks the down sections take, for as long as the counting lasts, under the same -LockTimeout; a down that fails in it stops the undo before anything changed (OmegaDb.UndoFailed).

The data-loss guard: when the report finds data that would be lost (or a count fails), the undo refuses (OmegaDb.UndoWouldLoseData) unless -Backup is a backup that can bring it back, a backup of this database (same database name, host and port), not schema-only, whose dump still exists, taken after the newest undone migration was applied, or -Force is given. A backup that does not qualify is named in the error with the reason. The guard applies on every database, production or not. On a database marked Production the lock timeout (5 seconds) and retries (3) default as for Invoke-OmegaMigration; the rehearsal gate does not apply to an undo.

-DryRun runs the down sections in one transaction, captures each result with its data-loss report, and rolls everything back: the schema, the data and the history are as before. A down section with transaction control (COMMIT, ROLLBACK, ...) is refused before anything runs, for a dry run and a real undo alike, because the measurement runs every down in one transaction.

Undo-OmegaMigration is high impact: it asks for confirmation of each migration right before undoing it, with what it destroys in the question; declining one stops the older ones too. -Confirm:$false skips the questions, -WhatIf lists them.
'@
    Parameters  = @{
        Database         = 'The database to undo migrations on: an OmegaDatabase or OmegaSandbox, or a connection string or URI. Accepts pipeline input, also by property name.'
        Path             = 'The migrations folder the migrations were applied from.'
        Count            = 'How many of the newest applied migrations to undo. Default: 1.'
        To               = 'Undo every applied migration newer than this version and keep this one; 0 undoes them all. Tab completes the versions in the folder.'
        DryRun           = 'Runs the down sections in one transaction, reports what they did and destroyed, and rolls everything back.'
        Backup           = 'An OmegaBackup (from Backup-OmegaDatabase or Get-OmegaBackup) of this database, with data, taken after the newest undone migration was applied: lets the undo destroy data.'
        Force            = 'Undoes even though data is lost and no qualifying backup was given.'
        LockTimeout      = 'How long a statement of a down section may wait for a lock before the undo of that migration is rolled back (and retried). Default: none, or 5 seconds on a database marked Production.'
        StatementTimeout = 'How long any statement of a down section (or a count of the data-loss report) may run.'
        RetryCount       = 'How many times an undo rolled back by the lock timeout is tried again. Default: 0, or 3 on a database marked Production.'
        LockWaitTimeout  = 'How long to wait for another run''s migration lock. Default: one minute.'
        HistoryTable     = 'The history table, as table or schema.table. Default: omegadb.migration_history.'
    }
    Examples    = @(
        @{
            Title   = 'See what undoing the newest migration destroys'
            Code    = '$db | Undo-OmegaMigration -Path ./migrations -DryRun | Select-Object Version, Name, Status -ExpandProperty DataLoss'
            Remarks = 'The down section runs in a transaction that is rolled back; each loss is a warning too, for example "002_user_profile_basic_fields: DROP COLUMN public.user_profiles.bio destroys 2,345 non-null values".'
        }
        @{
            Title   = 'Back up, then undo'
            Code    = '$backup = $db | Backup-OmegaDatabase -Path ./backups
$db | Undo-OmegaMigration -Path ./migrations -Backup $backup'
            Remarks = 'Without -Backup the undo refuses when it would destroy data. The backup must be of this database, with data, and taken after the migration was applied.'
        }
        @{
            Title   = 'Undo everything after version 1, without a backup'
            Code    = '$sandbox | Undo-OmegaMigration -Path ./migrations -To 1 -Force -Confirm:$false'
            Remarks = 'Undoes the applied migrations newer than 1, newest first. -Force accepts the data loss (reported as warnings); -Confirm:$false skips the question for each migration. For a throwaway sandbox only.'
        }
        @{
            Title   = 'Undo the two newest migrations'
            Code    = '$db | Undo-OmegaMigration -Path ./migrations -Count 2 -WhatIf'
            Remarks = '-WhatIf lists each migration it would undo, newest first, with what it would destroy; nothing changes. When data would be lost and neither -Backup nor -Force is given, it shows the refusal instead.'
        }
    )
    Related     = @('Invoke-OmegaMigration', 'Get-OmegaMigration', 'Backup-OmegaDatabase')
}
