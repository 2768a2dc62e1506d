@{
    Synopsis    = 'Proves a backup restores: checksum, a test restore into a sandbox, schema fingerprint and row counts.'
    Description = @'
Test-OmegaBackup checks a backup the only way that proves it: it compares the dump''s SHA-256 with the manifest, restores the dump into a new sandbox (a throwaway Local cluster unless -Engine or -Server say otherwise), then compares the restored schema''s fingerprint and every table''s row count with the manifest. The sandbox is removed afterwards, also when a check or the restore fails.

It returns one OmegaBackupTestResult per check (Checksum, Restore, SchemaFingerprint, RowCounts) with Passed, Expected, Actual and Message. When a check fails, the later checks cannot run; they are reported with Passed = $false and a message starting with "Not run". With -Quiet it returns one boolean per backup instead: $true when every check passed.

A truncated archive passes pg_restore --list, so the restore is real. The test restore of a Custom or Directory dump leaves out owners and privileges (the sandbox has none of the source''s roles), which the schema fingerprint does not cover; a Plain dump is replayed by psql as written, so the roles it names (listed in the manifest) are created without login in a Local or Docker sandbox first; the Server engine never creates roles on a shared server. An extension the sandbox''s server lacks fails the Restore check with a message naming it.
'@
    Parameters  = @{
        Backup      = 'The backup to test, from Backup-OmegaDatabase or Get-OmegaBackup. Accepts pipeline input.'
        Quiet       = 'Returns $true or $false per backup instead of the results.'
        Engine      = 'The sandbox engine for the test restore: Local (default), Docker, Server or Auto, as for New-OmegaSandbox.'
        Server      = 'With the Server engine: the server on which to create the scratch database for the test restore.'
        PostgresBin = 'A directory holding pg_restore, psql and (for the Local engine) initdb and pg_ctl.'
    }
    Examples    = @(
        @{
            Title   = 'Check last night''s backups'
            Code    = 'Get-OmegaBackup /var/backups/omega | Test-OmegaBackup | Where-Object { -not $_.Passed }'
            Remarks = 'Lists only the failed checks.'
        }
        @{
            Title   = 'Gate a runbook on a good backup'
            Code    = '$backup = $prod | Backup-OmegaDatabase -Path ./backups
if (-not ($backup | Test-OmegaBackup -Quiet)) { throw "the backup does not restore" }'
            Remarks = ''
        }
    )
    Related     = @('Backup-OmegaDatabase', 'Get-OmegaBackup', 'New-OmegaSandbox')
}
