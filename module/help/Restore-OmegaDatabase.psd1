@{
    Synopsis    = 'Restores a backup into a database, after checking its checksum.'
    Description = @'
Restore-OmegaDatabase checks the dump''s SHA-256 against its manifest and then restores it: pg_restore for Custom and Directory backups, psql -v ON_ERROR_STOP=1 for Plain ones. Objects are owned by the role that restores (--no-owner), and the restore stops at the first error, whose message is shown. Without -Jobs the restore is one transaction, so a failure leaves the database as it was; with -Jobs it is not.

The target must be named with -Database: it is never taken from the pipeline, because a backup''s Database property is only the name of the database it came from. A database marked Production is refused unless -Force is given. The cmdlet is high impact, so it asks for confirmation unless -Confirm:$false is given.
'@
    Parameters  = @{
        Backup      = 'The backup to restore, from Backup-OmegaDatabase or Get-OmegaBackup. Accepts pipeline input by value.'
        Database    = 'The database to restore into: an OmegaDatabase, a connection string or URI. Never bound from the pipeline.'
        Clean       = 'Drops each object of the backup before recreating it (pg_restore --clean --if-exists). Custom and Directory backups only.'
        Force       = 'Allows restoring into a database marked Production.'
        Jobs        = 'Parallel pg_restore workers. Above 1 the restore is no longer a single transaction.'
        PostgresBin = 'A directory holding pg_restore and psql to use instead of searching PATH and /usr/lib/postgresql/*/bin.'
    }
    Examples    = @(
        @{
            Title   = 'Restore the newest backup into a sandbox'
            Code    = '$box = New-OmegaSandbox
Get-OmegaBackup ./backups | Select-Object -First 1 | Restore-OmegaDatabase -Database $box -Confirm:$false'
            Remarks = ''
        }
        @{
            Title   = 'Roll production back to its backup'
            Code    = '$backup | Restore-OmegaDatabase -Database $prod -Clean -Force'
            Remarks = 'Asks for confirmation; -Force is needed because $prod is marked Production.'
        }
    )
    Related     = @('Backup-OmegaDatabase', 'Test-OmegaBackup', 'Undo-OmegaMigration')
}
