@{
    Synopsis    = 'Reads backup manifests (.omega.json) and returns OmegaBackup objects.'
    Description = @'
Get-OmegaBackup reads the manifest that Backup-OmegaDatabase writes beside each dump. A path may name a manifest, a dump (its manifest is the dump name plus .omega.json) or a directory, which gives every backup in it, newest first. Wildcards are allowed.

A manifest that is missing, not JSON, or lacks a field is reported as a non-terminating error with the ErrorId OmegaDb.BackupManifestNotFound or OmegaDb.BackupManifestInvalid; the other paths are still read. Reading a manifest does not check the dump: Test-OmegaBackup does.
'@
    Parameters  = @{
        Path = 'Manifests, dumps or directories of backups. Accepts pipeline input, also the FullName of files from Get-ChildItem and the Path of a backup.'
    }
    Examples    = @(
        @{
            Title   = 'The newest backup in a folder'
            Code    = 'Get-OmegaBackup /var/backups/omega | Select-Object -First 1'
            Remarks = 'Backups come newest first.'
        }
        @{
            Title   = 'Backups of one database'
            Code    = 'Get-ChildItem /var/backups/omega -Filter *.omega.json | Get-OmegaBackup | Where-Object Database -EQ app'
            Remarks = ''
        }
    )
    Related     = @('Backup-OmegaDatabase', 'Test-OmegaBackup', 'Restore-OmegaDatabase')
}
