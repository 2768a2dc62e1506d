@{
    RootModule           = 'OmegaDb.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '09930890-2d2d-4ac3-9d03-09c933e084db'
    Author               = 'OmegaDb contributors'
    CompanyName          = 'OmegaDb'
    Copyright            = '(c) OmegaDb contributors. MIT License.'
    Description          = 'Rehearse PostgreSQL schema migrations on a parallel, disposable database before they touch production: connections, sandboxes, schema snapshots, migrations, backups and undo as cmdlets that pipe into each other.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('OmegaDb.format.ps1xml')
    # Listed one by one: a wildcard would export whatever happens to be public.
    CmdletsToExport      = @(
        'Connect-OmegaDatabase'
        'New-OmegaSandbox'
        'Get-OmegaSandbox'
        'Remove-OmegaSandbox'
        'Get-OmegaSchema'
        'Compare-OmegaSchema'
        'Export-OmegaSchema'
        'Import-OmegaSchema'
        'Test-OmegaSchema'
        'Get-OmegaIndexUsage'
        'Get-OmegaMigration'
        'Invoke-OmegaMigration'
        'Undo-OmegaMigration'
        'Backup-OmegaDatabase'
        'Get-OmegaBackup'
        'Test-OmegaBackup'
        'Restore-OmegaDatabase'
        'Copy-OmegaData'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('PostgreSQL', 'Postgres', 'Migration', 'Schema', 'Sandbox', 'Database', 'DevOps', 'Linux')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
