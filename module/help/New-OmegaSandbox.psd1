@{
    Synopsis    = 'Creates a disposable PostgreSQL database, a sandbox, to rehearse migrations on.'
    Description = @'
New-OmegaSandbox makes a parallel, throwaway database and returns an OmegaSandbox, which is an OmegaDatabase and pipes into every cmdlet that takes one.

Engines:
Local: a new cluster from the machine's own PostgreSQL programs (initdb and pg_ctl, found on PATH, then under /usr/lib/postgresql/*/bin newest first, or in -PostgresBin), in a temporary directory, listening on a free loopback port only, with a random password and scram authentication, and with durability turned off (fsync, full_page_writes, synchronous_commit) for speed. When run as root the server runs as the postgres account (or OMEGADB_SANDBOX_USER, else nobody), since PostgreSQL refuses root. Ready in about a second.

Docker: a container through Testcontainers, when a Docker engine with API 1.44 or later answers.

Server: a scratch database omega_sandbox_<random> on an existing server given with -Server, for teams whose test environment is a hosted instance.

Auto (the default): Server when -Server is given, else Local when PostgreSQL's programs are found, else Docker when an engine answers, else an error that says how to get one.

Each sandbox leaves a marker in its directory (OMEGADB_SANDBOX_ROOT, default <temp>/omegadb-<user>/sandboxes). Sandboxes are removed by Remove-OmegaSandbox, when the module is removed and when PowerShell exits; Get-OmegaSandbox finds those left by a session that crashed.
'@
    Parameters  = @{
        Engine      = 'Which engine makes the sandbox: Auto (default), Local, Docker or Server.'
        Server      = 'For the Server engine: the server to create the scratch database on, as an OmegaDatabase or a connection string. Its user needs CREATEDB. A database marked Production is refused.'
        Name        = 'A name for the sandbox (letters, digits, ., _ and -). Defaults to its id, omega-<random>.'
        PostgresBin = 'For the Local engine: the directory that holds initdb and pg_ctl, when they are not on PATH or under /usr/lib/postgresql.'
    }
    Examples    = @(
        @{
            Title   = 'A local sandbox, used and removed'
            Code    = @'
$box = New-OmegaSandbox
Connect-OmegaDatabase $box.GetConnectionUri()
$box | Remove-OmegaSandbox
'@
            Remarks = 'Starts a throwaway PostgreSQL on a free loopback port, connects to it and removes it.'
        }
        @{
            Title   = 'Hand the sandbox to an application'
            Code    = '$box = New-OmegaSandbox -Name profiles-test; "DATABASE_URL=$($box.GetConnectionUri())" | Set-Content .env.local'
            Remarks = 'GetConnectionUri() is the one way to get the password out; the object itself prints a redacted URI.'
        }
        @{
            Title   = 'A scratch database on a shared test server'
            Code    = '$test = Connect-OmegaDatabase $env:TEST_DATABASE_URL; $box = New-OmegaSandbox -Engine Server -Server $test'
            Remarks = 'Creates omega_sandbox_<random> on the test server with the same credentials; Remove-OmegaSandbox drops it.'
        }
    )
    Notes       = 'ErrorIds: OmegaDb.NoSandboxEngine, OmegaDb.PostgresBinariesNotFound, OmegaDb.SandboxStartFailed (with the tail of the server log), OmegaDb.DockerUnavailable, OmegaDb.SandboxServerRequired, OmegaDb.SandboxOnProduction, OmegaDb.CreateDatabaseDenied.'
    Related     = @('Get-OmegaSandbox', 'Remove-OmegaSandbox', 'Connect-OmegaDatabase')
}
