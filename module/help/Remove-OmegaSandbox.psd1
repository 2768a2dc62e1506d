@{
    Synopsis    = 'Removes sandboxes: stops the server and deletes its directory, container or scratch database.'
    Description = @'
Remove-OmegaSandbox takes sandboxes from the pipeline (or by -Name) and removes each one: a Local sandbox's server is stopped and its data directory deleted; a Docker sandbox's container is removed; a Server sandbox's scratch database is dropped. Each failure is reported as its own error and the others are still removed.

A sandbox that belongs to another live session is left alone unless -Force is given. A Server sandbox made by another session needs -Server, a connection to its server, since its password was never stored.
'@
    Parameters  = @{
        Sandbox  = 'The sandboxes to remove, usually from New-OmegaSandbox or Get-OmegaSandbox through the pipeline.'
        Name     = 'Names or ids of the sandboxes to remove; wildcards are allowed.'
        Force    = 'Removes sandboxes even when another live session owns them.'
        Server   = 'For Server-engine sandboxes made by another session: a connection (OmegaDatabase or connection string) to the server that holds the scratch database.'
        PassThru = 'Writes each removed sandbox to the pipeline, with Status Removed.'
    }
    Examples    = @(
        @{
            Title   = 'Remove a sandbox'
            Code    = '$box | Remove-OmegaSandbox'
            Remarks = 'Stops the sandbox''s server and deletes its directory.'
        }
        @{
            Title   = 'Remove everything this machine has'
            Code    = 'Get-OmegaSandbox | Remove-OmegaSandbox -Force -Confirm:$false'
            Remarks = 'Removes every sandbox, including those owned by other running sessions.'
        }
        @{
            Title   = 'See what would be removed'
            Code    = 'Get-OmegaSandbox | Remove-OmegaSandbox -WhatIf'
            Remarks = 'Lists each sandbox that would be removed, and removes nothing.'
        }
    )
    Notes       = 'ErrorIds: OmegaDb.SandboxNotFound, OmegaDb.SandboxOwnedByAnotherSession, OmegaDb.SandboxCredentialsRequired.'
    Related     = @('New-OmegaSandbox', 'Get-OmegaSandbox')
}
