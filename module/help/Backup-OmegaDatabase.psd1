@{
    Synopsis    = 'Backs up a database with pg_dump, beside a manifest of what was dumped.'
    Description = @'
Backup-OmegaDatabase runs pg_dump (never a dump of its own) in a snapshot it exports from a REPEATABLE READ transaction. While pg_dump runs, the schema fingerprint and an exact count(*) of every table are read in that same snapshot, so the manifest describes exactly what was dumped even while the database keeps changing.

pg_dump is found on PATH or under /usr/lib/postgresql/*/bin: the newest one able to dump the server (pg_dump refuses servers newer than itself). An older pg_dump is a clear error naming the version needed. The password reaches pg_dump through a temporary, owner-only password file that is deleted when pg_dump ends, never on its command line.

The dump is named <database>-<yyyyMMdd-HHmmss>.dump (.sql for Plain, a .dir directory for Directory) in -Path, or takes -Path as its own name. Beside it goes <dump>.omega.json: database, host, port, the redacted source, format, size, SHA-256, server and pg_dump versions, schema fingerprint, row counts, time and duration; never a password. Both are written under hidden temporary names (.<name>.<id>.partial) in the same directory and renamed into place only when everything succeeded: a failed, stopped (Ctrl+C) or killed backup leaves nothing under the final names. An existing file is never overwritten. The dump is readable by its owner only.
'@
    Parameters  = @{
        Database    = 'The database to back up: an OmegaDatabase, a connection string or URI. Accepts pipeline input by value and by property name.'
        Path        = 'An existing directory for the default file name (default: the current directory), or the name of the dump itself. Its directory must exist.'
        SchemaOnly  = 'Dumps the schema without rows (pg_dump --schema-only). The manifest then has no row counts.'
        Format      = 'Custom (default, pg_dump -Fc, one compressed file), Directory (pg_dump -Fd, a directory, dumped in parallel with -Jobs) or Plain (an SQL script, restored with psql).'
        Jobs        = 'Parallel pg_dump workers (pg_dump -j); Directory format only. Each takes a connection.'
        PostgresBin = 'A directory holding pg_dump to use instead of searching PATH and /usr/lib/postgresql/*/bin.'
    }
    Examples    = @(
        @{
            Title   = 'Back up production before a migration'
            Code    = '$prod = Connect-OmegaDatabase $env:PROD_URL -Environment Production
$backup = $prod | Backup-OmegaDatabase -Path /var/backups/omega
$backup | Format-List Database, Path, SizeBytes, Sha256, SchemaFingerprint'
            Remarks = 'Writes app-20250101-120000.dump and app-20250101-120000.dump.omega.json into /var/backups/omega.'
        }
        @{
            Title   = 'A parallel directory dump'
            Code    = 'Backup-OmegaDatabase $prod -Format Directory -Jobs 4 -Path ./nightly.dir'
            Remarks = 'Four pg_dump workers share the exported snapshot, so the dump is consistent.'
        }
        @{
            Title   = 'See where it would write'
            Code    = 'Backup-OmegaDatabase $prod -Format Plain -WhatIf'
            Remarks = 'Nothing is written and pg_dump does not run.'
        }
    )
    Related     = @('Get-OmegaBackup', 'Test-OmegaBackup', 'Restore-OmegaDatabase', 'Undo-OmegaMigration')
}
