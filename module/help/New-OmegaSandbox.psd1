@{
    Synopsis    = 'Creates a disposable PostgreSQL database, a sandbox, to rehearse migrations on.'
    Description = @'
New-OmegaSandbox makes a parallel, throwaway database and returns an OmegaSandbox, which is an OmegaDatabase and pipes into every cmdlet that takes one.

Engines:
Local: a new cluster from the machine's own PostgreSQL programs (initdb and pg_ctl, found on PATH, then under /usr/lib/postgresql/*/bin newest first, or in -PostgresBin), in a temporary directory, listening on a free loopback port only, with a random password and scram authentication, and with durability turned off (fsync, full_page_writes, synchronous_commit) for speed. When run as root the server runs as the postgres account (or OMEGADB_SANDBOX_USER, else nobody), since PostgreSQL refuses root. Ready in about a second.

Docker: a container through Testcontainers, when a Docker engine with API 1.44 or later answers.

Server: a scratch database omega_sandbox_<random> on an existing server given with -Server, for teams whose test environment is a hosted instance.

Auto (the default): Server when -Server is given, else Local when PostgreSQL's programs are found, else Docker when an engine answers, else an error that says how to get one.

Copying a source (-From):
-From copies a database into the new sandbox the way pg_dump would: the schema and every row, or only the schema with -SchemaOnly. pg_dump (a version able to dump the source's server) runs while the sandbox's server is being made, and pg_restore loads its output; passwords reach both through a temporary owner-only pgpass file, never their command lines. Subscriptions, tablespaces and security labels are not copied. The sandbox's Source property is the source's redacted URI, and its schema fingerprint equals the source's.

Ownership and grants are copied when the sandbox's server has every role the source's objects name and its user may act as them; otherwise they are left out (every object then belongs to the sandbox's user) and a verbose message lists the missing roles. Extensions the source uses but the sandbox's server lacks stop the copy before anything is restored, with an error listing them. If any step fails, the half-made sandbox is removed.

Templates: with -SchemaOnly (and -SampleRows, which starts from the schema) the restored schema is saved as a template keyed by the source (host, port, database) and its schema fingerprint. The next sandbox from the same, unchanged source copies the template instead of dumping again: for the Local engine a stopped cluster under <sandbox root>/templates, for the Server engine a database omega_tpl_<key> on that server, marked IS_TEMPLATE and closed to connections. TemplateUsed on the sandbox says which template it came from. When the source's schema changes, the next sandbox dumps it again and its template replaces the outdated one. Templates are not sandboxes: Get-OmegaSandbox does not list them and Remove-OmegaSandbox leaves them; delete the templates folder, or drop the omega_tpl_ databases, to free the space.

On the Server engine, a full copy (no -SchemaOnly) of a source on the same server (same host and port) is made with CREATE DATABASE ... TEMPLATE <source>, a copy of the files on the server. PostgreSQL allows it only while no other session is connected to the source and to a user who owns it (or a superuser); otherwise, and always for a source marked Production (a clone locks new sessions out of it while it copies), the source is dumped and restored and a verbose message says why. -SchemaOnly never clones the source: emptying a full clone would still copy every row first and keep state that is not rows; the schema-only dump, then its template, is exact and as fast from the second sandbox on.

Each sandbox leaves a marker in its directory (OMEGADB_SANDBOX_ROOT, default <temp>/omegadb-<user>/sandboxes). Sandboxes are removed by Remove-OmegaSandbox, when the module is removed and when PowerShell exits; Get-OmegaSandbox finds those left by a session that crashed.
'@
    Parameters  = @{
        From        = 'The database to copy into the sandbox (an OmegaDatabase, a connection string or URI; also from the pipeline). Without -SchemaOnly or -SampleRows, its schema and every row are copied.'
        SchemaOnly  = 'With -From: copy the schema only, no rows. The restored schema is cached as a template, so a second sandbox from the unchanged source is much faster.'
        SampleRows  = 'With -From: copy the schema, then up to this many rows per table plus the parent rows they reference, so that foreign keys hold (the rows are streamed with COPY, as Copy-OmegaData -Limit does). The migration history (the omegadb schema) is copied whole, as it is with -SchemaOnly: it is bookkeeping, and the sandbox must know which migrations its schema already has.'
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
        @{
            Title   = 'Rehearse on a copy of production''s schema'
            Code    = @'
$prod = Connect-OmegaDatabase $env:PROD_DATABASE_URL -Environment Production
$box = New-OmegaSandbox -From $prod -SchemaOnly -Verbose
$box | Invoke-OmegaMigration -Path ./migrations -DryRun
'@
            Remarks = 'pg_dump --schema-only of production, restored into a local sandbox whose schema fingerprint equals production''s. The second time, the cached template is copied instead (TemplateUsed says which).'
        }
        @{
            Title   = 'A full copy on the same test server'
            Code    = '$test = Connect-OmegaDatabase $env:TEST_DATABASE_URL; $copy = $test | New-OmegaSandbox -Engine Server -Server $test'
            Remarks = 'Clones the test database with CREATE DATABASE ... TEMPLATE when nobody else is connected to it, else dumps and restores it.'
        }
    )
    Notes       = 'ErrorIds: OmegaDb.NoSandboxEngine, OmegaDb.PostgresBinariesNotFound, OmegaDb.SandboxStartFailed (with the tail of the server log), OmegaDb.DockerUnavailable, OmegaDb.SandboxServerRequired, OmegaDb.SandboxOnProduction, OmegaDb.CreateDatabaseDenied, OmegaDb.SandboxExtensionMissing (the extensions the sandbox lacks), OmegaDb.SandboxDumpFailed, OmegaDb.SandboxRestoreFailed, OmegaDb.PostgresClientNotFound, OmegaDb.PgDumpTooOld, and those of Copy-OmegaData for -SampleRows (OmegaDb.ForeignKeyCycle, OmegaDb.ReadOnlySource).'
    Related     = @('Get-OmegaSandbox', 'Remove-OmegaSandbox', 'Connect-OmegaDatabase')
}
