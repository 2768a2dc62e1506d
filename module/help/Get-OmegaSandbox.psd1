@{
    Synopsis    = 'Lists the sandboxes on this machine, including those left behind by a session that crashed.'
    Description = @'
Get-OmegaSandbox reads the marker of every sandbox under the sandbox root (OMEGADB_SANDBOX_ROOT, default <temp>/omegadb-<user>/sandboxes) and returns an OmegaSandbox for each, with a Status:

Running: its owning session is alive and its server runs.
Orphaned: the PowerShell process that made it has died; remove it with Remove-OmegaSandbox.
Stopped: its server no longer runs (for example after a reboot); only its files remain.

Sandboxes made by this session carry their password and can be used directly; those made by other sessions do not, since OmegaDb never writes a password to disk.
'@
    Parameters  = @{
        Name   = 'Names or ids of the sandboxes to get; wildcards are allowed. A name without wildcards that matches nothing is an error.'
        Status = 'Only sandboxes with one of these statuses: Running, Orphaned, Stopped.'
    }
    Examples    = @(
        @{
            Title   = 'Clean up after a crashed session'
            Code    = 'Get-OmegaSandbox -Status Orphaned | Remove-OmegaSandbox'
            Remarks = 'Finds the sandboxes whose owning process died and removes their servers and directories.'
        }
        @{
            Title   = 'One sandbox by name'
            Code    = 'Get-OmegaSandbox profiles-*'
            Remarks = 'Lists the sandboxes whose name starts with profiles-.'
        }
    )
    Related     = @('New-OmegaSandbox', 'Remove-OmegaSandbox')
}
