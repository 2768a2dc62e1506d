#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Measures OmegaDb against what a user would otherwise do by hand, as ratios.
.DESCRIPTION
    Each figure times one OmegaDb operation and its manual baseline in the same run: one
    untimed warm-up of each, then -Iterations timed rounds. Rounds alternate which side goes
    first (baseline/omega, omega/baseline, ...) so that drift on the machine falls on both.
    A figure's result is median(OmegaDb) / median(baseline), checked against its target.

    Prints a table, writes out/bench/results.json (all samples, core count, date) and a
    one-line summary. Exits 1 when a figure could not be measured; a missed target is a
    result, not a failure. Everything a figure makes lives under a temporary directory that
    its Teardown removes, and every server listens on 127.0.0.1 only.

    Called by `./build.ps1 bench`.
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Invoke-Benchmark.ps1 -ModulePath out/OmegaDb/OmegaDb.psd1
.EXAMPLE
    dotnet pwsh -NoProfile -File bench/Invoke-Benchmark.ps1 -ModulePath out/OmegaDb/OmegaDb.psd1 -Figure 'Local*' -Iterations 9
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    [ValidateRange(1, 1000)]
    [int] $Iterations = 5,

    # Names of the figures to run; wildcards allowed. All figures when omitted.
    [string[]] $Figure
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# Progress bars are console drawing, not the work being measured.
$ProgressPreference = 'SilentlyContinue'

$RepoRoot = Split-Path $PSScriptRoot -Parent
$ResultsFile = Join-Path $RepoRoot 'out/bench/results.json'

Import-Module (Resolve-Path -LiteralPath $ModulePath).Path -Force

#region Helpers shared by figures

function Invoke-Checked {
    <# Runs a native program; throws with its output when it fails. Returns nothing. #>
    param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    $output = & $FilePath @ArgumentList 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code ${LASTEXITCODE}:`n$($output -join "`n")"
    }
}

function Invoke-AsServerAccount {
    <# Runs a PostgreSQL program as the server account (via runuser when we are root). #>
    param([hashtable] $Context, [string] $Program, [string[]] $ArgumentList)
    if ($Context.Account) {
        Invoke-Checked runuser (@('-u', $Context.Account, '--', $Program) + $ArgumentList)
    }
    else {
        Invoke-Checked $Program $ArgumentList
    }
}

function Find-PostgresBin {
    <# The same directory OmegaDb picks: initdb on PATH (links resolved), else the newest /usr/lib/postgresql/*/bin. #>
    foreach ($dir in ($env:PATH -split [IO.Path]::PathSeparator)) {
        if (-not $dir) { continue }
        $initdb = Join-Path $dir 'initdb'
        if ((Test-Path -LiteralPath $initdb -PathType Leaf) -and (Test-Path -LiteralPath (Join-Path $dir 'pg_ctl') -PathType Leaf)) {
            $target = ([IO.FileInfo] $initdb).ResolveLinkTarget($true)
            return Split-Path ($target ? $target.FullName : $initdb) -Parent
        }
    }
    $newest = Get-ChildItem /usr/lib/postgresql -Directory -ErrorAction Ignore |
        Where-Object { Test-Path (Join-Path $_.FullName 'bin/initdb') } |
        Sort-Object { $_.Name -as [int] } -Descending | Select-Object -First 1
    if (-not $newest) { throw 'No PostgreSQL server programs (initdb, pg_ctl) were found.' }
    return Join-Path $newest.FullName 'bin'
}

function Get-ServerAccount {
    <# PostgreSQL refuses root; mirror OmegaDb's choice of account (OMEGADB_SANDBOX_USER, postgres, nobody). #>
    if ($IsWindows -or (& id -u) -ne '0') { return $null }
    $candidates = if ($env:OMEGADB_SANDBOX_USER) { @($env:OMEGADB_SANDBOX_USER) } else { @('postgres', 'nobody') }
    foreach ($name in $candidates) {
        $null = & id -u $name 2>&1
        if ($LASTEXITCODE -eq 0) { return $name }
    }
    throw "None of the accounts $($candidates -join ', ') exists to run PostgreSQL as."
}

function Get-FreeLoopbackPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function New-Password {
    $bytes = [Security.Cryptography.RandomNumberGenerator]::GetBytes(24)
    return [Convert]::ToBase64String($bytes).Replace('+', 'x').Replace('/', 'y').TrimEnd('=')
}

function Stop-ClustersUnder {
    <# Safety net: stops every server whose data directory lies under $Path. #>
    param([hashtable] $Context, [string] $Path)
    if (-not $Path -or -not (Test-Path -LiteralPath $Path)) { return }
    foreach ($pidFile in Get-ChildItem -LiteralPath $Path -Recurse -Filter postmaster.pid -File -ErrorAction Ignore) {
        $data = $pidFile.DirectoryName
        try {
            Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'pg_ctl') @('stop', '-D', $data, '-m', 'immediate', '-w', '-t', '30', '-s')
        }
        catch {
            $serverPid = (Get-Content -LiteralPath $pidFile.FullName -TotalCount 1 -ErrorAction Ignore) -as [int]
            if ($serverPid) { Stop-Process -Id $serverPid -Force -ErrorAction Ignore }
        }
    }
}

function Get-Median([double[]] $Values) {
    $sorted = [double[]]($Values | Sort-Object)
    $mid = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$mid] }
    return ($sorted[$mid - 1] + $sorted[$mid]) / 2
}

function Invoke-WithPassword {
    <# Runs a libpq program against a database; the password travels in PGPASSWORD, never on the command line. #>
    param([Parameter(Mandatory)] $Database, [Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
    $userInfo = ([Uri] $Database.GetConnectionUri()).UserInfo
    $saved = $env:PGPASSWORD
    try {
        $env:PGPASSWORD = [Uri]::UnescapeDataString($userInfo.Substring($userInfo.IndexOf(':') + 1))
        Invoke-Checked $FilePath (@('-h', $Database.Host, '-p', "$($Database.Port)", '-U', $Database.User, '-d', $Database.Database) + $ArgumentList)
    }
    finally { $env:PGPASSWORD = $saved }
}

function New-SchemaSandbox {
    <#
        A Local sandbox in a private sandbox root under $Context.Root, loaded with the synthetic
        schema of $Tables tables. Fills $Context.Bin, Account, PostgresVersion, Root, Box.
    #>
    param([hashtable] $Context, [int] $Tables)
    $Context.Bin = Find-PostgresBin
    $Context.Account = Get-ServerAccount
    $Context.PostgresVersion = (& (Join-Path $Context.Bin 'initdb') --version) -join ' '
    $Context.Root = [IO.Directory]::CreateTempSubdirectory('omegadb-bench-').FullName
    $Context.SavedSandboxRoot = $env:OMEGADB_SANDBOX_ROOT
    $Context.SandboxRootChanged = $true
    $env:OMEGADB_SANDBOX_ROOT = Join-Path $Context.Root 'omega'
    $Context.Box = New-OmegaSandbox -Engine Local -Name "bench-schema-$Tables"
    if ($Tables -gt 0) {
        $script = Join-Path $Context.Root 'schema.sql'
        & (Join-Path $PSScriptRoot 'New-SyntheticSchema.ps1') -TableCount $Tables -OutFile $script | Out-Null
        Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', $script)
        Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-c', 'ANALYZE')
    }
}

function Measure-CatalogQueries {
    <#
        How many statements one Get-OmegaSchema sends, counted by the server: log_statement = all
        for a role made for this, in a child process so that no pooled connection keeps it.
    #>
    param([hashtable] $Context)
    $box = $Context.Box
    $role = 'omega_bench_counter'
    $password = New-Password
    Invoke-WithPassword $box (Join-Path $Context.Bin 'psql') @('-q', '-c', "CREATE ROLE $role LOGIN SUPERUSER PASSWORD '$password'; ALTER ROLE $role SET log_statement = 'all'")
    $log = Join-Path (Split-Path $box.DataDirectory -Parent) 'server.log'
    $before = @(Get-Content -LiteralPath $log).Count
    $uri = "postgresql://${role}:$password@127.0.0.1:$($box.Port)/$($box.Database)"
    $child = "Import-Module '$((Get-Module OmegaDb).Path)'; `$null = Get-OmegaSchema '$uri'"
    & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $child
    if ($LASTEXITCODE -ne 0) { throw 'Get-OmegaSchema failed in the query-counting child process.' }
    Start-Sleep -Milliseconds 300
    $lines = @(Get-Content -LiteralPath $log | Select-Object -Skip $before)
    return @($lines | Where-Object { $_ -match 'LOG:\s+(statement|execute [^:]*):' }).Count
}

function Remove-SchemaSandbox {
    param([hashtable] $Context)
    try {
        if ($Context['Box']) { Remove-OmegaSandbox -Sandbox $Context.Box -Force -Confirm:$false }
        if ($Context.ContainsKey('Root')) {
            Stop-ClustersUnder $Context $Context.Root
            Remove-Item -LiteralPath $Context.Root -Recurse -Force -ErrorAction Ignore
        }
    }
    finally {
        if ($Context.ContainsKey('SandboxRootChanged')) { $env:OMEGADB_SANDBOX_ROOT = $Context.SavedSandboxRoot }
    }
}

function New-SchemaSnapshotFigure {
    <# Get-OmegaSchema against pg_dump --schema-only of the same database; both produce the whole schema. #>
    param([int] $Tables, [double] $TargetRatio = 0.3)
    @{
        Name        = "Schema snapshot, $Tables tables"
        Tables      = $Tables
        Target      = "<= ${TargetRatio}x"
        TargetRatio = $TargetRatio
        Setup       = {
            param($Context)
            New-SchemaSandbox $Context $Context.Tables
            $Context.Queries = Measure-CatalogQueries $Context
            Write-Host "  Get-OmegaSchema on $($Context.Tables) tables: $($Context.Queries) statements, counted by the server"
        }
        Omega       = {
            param($Context)
            $schema = Get-OmegaSchema $Context.Box
            if ($schema.Tables.Count -lt $Context.Tables) { throw "Get-OmegaSchema saw $($schema.Tables.Count) tables, expected $($Context.Tables)." }
        }
        Baseline    = {
            param($Context)
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'pg_dump') @('--schema-only', '-f', (Join-Path $Context.Root 'dump.sql'))
        }
        Teardown    = { param($Context) Remove-SchemaSandbox $Context }
    }
}

function Get-DatabaseUri {
    <# The URI of another database on the same server as $Database. #>
    param([Parameter(Mandatory)] $Database, [Parameter(Mandatory)] [string] $Name)
    $builder = [UriBuilder]::new($Database.GetConnectionUri())
    $builder.Path = "/$Name"
    return $builder.Uri.AbsoluteUri
}

function Reset-BenchDatabase {
    <# Drops and creates a database on the sandbox's server: every timed run starts from the same empty database. #>
    param([hashtable] $Context, [string] $Name)
    Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1',
        '-c', "DROP DATABASE IF EXISTS $Name WITH (FORCE)", '-c', "CREATE DATABASE $Name")
}

function New-SmallMigrations {
    <#
        200 small migration files of the kind a team accumulates: a table with a row, every
        fifth one adding a column and an index to the table before. Returns the folder; the
        same statements concatenated are in all.sql beside it, for psql.
    #>
    param([string] $Root, [int] $Count = 200)
    $folder = New-Item -ItemType Directory -Path (Join-Path $Root 'migrations') -Force
    $all = [Text.StringBuilder]::new()
    for ($i = 1; $i -le $Count; $i++) {
        $n = $i.ToString('D3')
        $up = if ($i % 5 -eq 0) {
            $prev = ($i - 1).ToString('D3')
            "ALTER TABLE step_$prev ADD COLUMN note text;`nCREATE INDEX step_${prev}_note ON step_$prev (note);`nCREATE TABLE step_$n (id bigint PRIMARY KEY, label text NOT NULL DEFAULT '');`nINSERT INTO step_$n (id, label) VALUES (1, 'first');"
        }
        else {
            "CREATE TABLE step_$n (id bigint PRIMARY KEY, label text NOT NULL DEFAULT '');`nINSERT INTO step_$n (id, label) VALUES (1, 'first');"
        }
        [IO.File]::WriteAllText((Join-Path $folder "${n}_step_$n.sql"), "-- omega:up`n$up`n-- omega:down`nDROP TABLE step_$n;`n")
        $null = $all.Append($up).Append("`n")
    }
    [IO.File]::WriteAllText((Join-Path $Root 'all.sql'), $all.ToString())
    return $folder.FullName
}

function New-ManualSchemaCopy {
    <#
        The runbook by hand: initdb and start a cluster (as the Local engine sets one up), then
        pg_dump --schema-only of the source and psql to load it. Returns the run's directory.
    #>
    param([hashtable] $Context, [string] $Manual)
    $Context.Runs++
    $dir = Join-Path $Manual "run-$($Context.Runs)"
    $data = Join-Path $dir 'data'
    $pwfile = Join-Path $dir 'pwfile'
    $null = New-Item -ItemType Directory -Path $dir
    [IO.File]::WriteAllText($pwfile, '')
    if (-not $IsWindows) { [IO.File]::SetUnixFileMode($pwfile, [IO.UnixFileMode]'UserRead, UserWrite') }
    $password = New-Password
    [IO.File]::WriteAllText($pwfile, $password + "`n")
    if ($Context.Account) { Invoke-Checked chown @("$($Context.Account):", $dir, $pwfile) }
    Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'initdb') @(
        '-D', $data, '-U', 'omega', '--pwfile', $pwfile, '-A', 'scram-sha-256',
        '-E', 'UTF8', '--locale', 'C', '--no-sync', '--no-instructions')
    Remove-Item -LiteralPath $pwfile
    $port = Get-FreeLoopbackPort
    [IO.File]::WriteAllLines((Join-Path $data 'postgresql.auto.conf'), [string[]](@("port = $port") + $SandboxConfig))
    Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'pg_ctl') @(
        'start', '-D', $data, '-l', (Join-Path $dir 'server.log'), '-w', '-t', '60', '-s')
    $script = Join-Path $dir 'schema.sql'
    Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'pg_dump') @('--schema-only', '-f', $script)
    $target = Connect-OmegaDatabase "postgresql://omega:$([Uri]::EscapeDataString($password))@127.0.0.1:$port/postgres"
    Invoke-WithPassword $target (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', $script)
    return $dir
}

function Remove-ManualSchemaCopy {
    param([hashtable] $Context, [string] $Dir)
    if (-not $Dir) { return }
    Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'pg_ctl') @(
        'stop', '-D', (Join-Path $Dir 'data'), '-m', 'immediate', '-w', '-t', '30', '-s')
    Remove-Item -LiteralPath $Dir -Recurse -Force
}

function New-SandboxFromFigure {
    <#
        New-OmegaSandbox -From -SchemaOnly of a 1000-table database against the same by hand.
        Cold: the template cache is emptied after every run, so each run dumps and restores
        (and saves a template). Warm: a template of the unchanged source exists.
    #>
    param([ValidateSet('Cold', 'Warm')] [string] $Cache, [double] $TargetRatio)
    @{
        Name          = "Sandbox from 1000-table schema, $($Cache.ToLowerInvariant()) cache"
        Cache         = $Cache
        Target        = "<= ${TargetRatio}x"
        TargetRatio   = $TargetRatio
        Setup         = {
            param($Context)
            New-SchemaSandbox $Context 1000
            if (-not $IsWindows) { Invoke-Checked chmod @('755', $Context.Root) }
            $Context.Manual = (New-Item -ItemType Directory -Path (Join-Path $Context.Root 'manual')).FullName
            if ($Context.Account) { Invoke-Checked chown @("$($Context.Account):", $Context.Manual) }
            $Context.Templates = Join-Path $env:OMEGADB_SANDBOX_ROOT 'templates'
            $Context.Runs = 0
            if ($Context.Cache -eq 'Warm') {
                New-OmegaSandbox -From $Context.Box -SchemaOnly -Engine Local | Remove-OmegaSandbox -Confirm:$false
            }
        }
        Omega         = {
            param($Context)
            $box = New-OmegaSandbox -From $Context.Box -SchemaOnly -Engine Local
            if (($Context.Cache -eq 'Warm') -ne [bool]$box.TemplateUsed) { Remove-OmegaSandbox $box -Confirm:$false; throw "Expected the $($Context.Cache.ToLowerInvariant()) path, TemplateUsed was '$($box.TemplateUsed)'." }
            $box
        }
        AfterOmega    = {
            param($Context, $Sandbox)
            if ($Sandbox) { Remove-OmegaSandbox -Sandbox $Sandbox -Confirm:$false }
            if ($Context.Cache -eq 'Cold') { Remove-Item -LiteralPath $Context.Templates -Recurse -Force -ErrorAction Ignore }
        }
        Baseline      = { param($Context) New-ManualSchemaCopy $Context $Context.Manual }
        AfterBaseline = { param($Context, $Dir) Remove-ManualSchemaCopy $Context $Dir }
        Teardown      = { param($Context) Remove-SchemaSandbox $Context }
    }
}

#endregion

#region Figures
<#
    One hashtable per figure (New-SchemaSnapshotFigure makes one per size). Every scriptblock gets the figure's $Context hashtable, which
    Setup fills; After* blocks also get what the timed block returned.
      Name          shown in the table; -Figure matches it
      Target        the target as text, e.g. '<= 1.2x'
      TargetRatio   the largest OmegaDb/baseline ratio that meets the target
      Setup         untimed, once, before any run
      Omega         timed: the OmegaDb operation
      AfterOmega    untimed, after every Omega run (even a failed one): undo it
      Baseline      timed: the same outcome by hand
      AfterBaseline untimed, after every Baseline run: undo it
      Teardown      untimed, once, always (finally): remove everything Setup or the runs left
#>

# The settings LocalSandboxProvider writes; the manual side writes the same ones.
$SandboxConfig = @(
    "listen_addresses = '127.0.0.1'"
    "unix_socket_directories = ''"
    'fsync = off'
    'full_page_writes = off'
    'synchronous_commit = off'
    'wal_recycle = off'
    'min_wal_size = 32MB'
    'max_connections = 200'
    'log_min_messages = warning'
    "log_line_prefix = '%m [%p] '"
)

$Figures = @(
    @{
        Name        = 'Local sandbox ready'
        Target      = '<= 1.2x'
        TargetRatio = 1.2
        Setup       = {
            param($Context)
            $Context.Bin = Find-PostgresBin
            $Context.Account = Get-ServerAccount
            $Context.PostgresVersion = (& (Join-Path $Context.Bin 'initdb') --version) -join ' '
            $Context.Root = [IO.Directory]::CreateTempSubdirectory('omegadb-bench-').FullName
            if (-not $IsWindows) { Invoke-Checked chmod @('755', $Context.Root) }
            $Context.Manual = (New-Item -ItemType Directory -Path (Join-Path $Context.Root 'manual')).FullName
            if ($Context.Account) { Invoke-Checked chown @("$($Context.Account):", $Context.Manual) }
            # OmegaDb's sandboxes go beside the manual ones: same filesystem, and nothing mixes
            # with sandboxes of other sessions.
            $Context.SavedSandboxRoot = $env:OMEGADB_SANDBOX_ROOT
            $Context.SandboxRootChanged = $true
            $env:OMEGADB_SANDBOX_ROOT = Join-Path $Context.Root 'omega'
            $Context.Runs = 0
        }
        Omega       = {
            param($Context)
            New-OmegaSandbox -Engine Local
        }
        AfterOmega  = {
            param($Context, $Sandbox)
            if ($Sandbox) { Remove-OmegaSandbox -Sandbox $Sandbox -Confirm:$false }
        }
        Baseline    = {
            param($Context)
            # What a user types: a directory, a password file, initdb, the config, pg_ctl start -w.
            $Context.Runs++
            $dir = Join-Path $Context.Manual "run-$($Context.Runs)"
            $data = Join-Path $dir 'data'
            $pwfile = Join-Path $dir 'pwfile'
            $null = New-Item -ItemType Directory -Path $dir
            [IO.File]::WriteAllText($pwfile, '')
            if (-not $IsWindows) { [IO.File]::SetUnixFileMode($pwfile, [IO.UnixFileMode]'UserRead, UserWrite') }
            [IO.File]::WriteAllText($pwfile, (New-Password) + "`n")
            if ($Context.Account) { Invoke-Checked chown @("$($Context.Account):", $dir, $pwfile) }
            Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'initdb') @(
                '-D', $data, '-U', 'omega', '--pwfile', $pwfile, '-A', 'scram-sha-256',
                '-E', 'UTF8', '--locale', 'C', '--no-sync', '--no-instructions')
            Remove-Item -LiteralPath $pwfile
            $config = @("port = $(Get-FreeLoopbackPort)") + $SandboxConfig
            [IO.File]::WriteAllLines((Join-Path $data 'postgresql.auto.conf'), [string[]]$config)
            Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'pg_ctl') @(
                'start', '-D', $data, '-l', (Join-Path $dir 'server.log'), '-w', '-t', '60', '-s')
            $dir
        }
        AfterBaseline = {
            param($Context, $Dir)
            if (-not $Dir) { return }
            Invoke-AsServerAccount $Context (Join-Path $Context.Bin 'pg_ctl') @(
                'stop', '-D', (Join-Path $Dir 'data'), '-m', 'immediate', '-w', '-t', '30', '-s')
            Remove-Item -LiteralPath $Dir -Recurse -Force
        }
        Teardown    = {
            param($Context)
            try {
                if ($Context.ContainsKey('Root')) {
                    $under = $Context.Root + [IO.Path]::DirectorySeparatorChar
                    Get-OmegaSandbox | Where-Object { $_.DataDirectory -and $_.DataDirectory.StartsWith($under) } |
                        Remove-OmegaSandbox -Force -Confirm:$false
                    Stop-ClustersUnder $Context $Context.Root
                    Remove-Item -LiteralPath $Context.Root -Recurse -Force -ErrorAction Ignore
                    if (Test-Path -LiteralPath $Context.Root) { Write-Warning "Could not remove $($Context.Root)." }
                }
            }
            finally {
                if ($Context.ContainsKey('SandboxRootChanged')) { $env:OMEGADB_SANDBOX_ROOT = $Context.SavedSandboxRoot }
            }
        }
    }
    New-SchemaSnapshotFigure 1000
    # The growth series: how Get-OmegaSchema's time and query count scale with the table count.
    New-SchemaSnapshotFigure 250 -TargetRatio 1.0
    New-SchemaSnapshotFigure 500 -TargetRatio 1.0
    New-SchemaSnapshotFigure 2000 -TargetRatio 1.0
    @{
        Name        = '200 small migrations'
        Target      = '<= 2x'
        TargetRatio = 2.0
        Setup       = {
            param($Context)
            New-SchemaSandbox $Context 0
            $Context.Folder = New-SmallMigrations $Context.Root
            Reset-BenchDatabase $Context 'omega_target'
            Reset-BenchDatabase $Context 'psql_target'
            $Context.Target = Connect-OmegaDatabase (Get-DatabaseUri $Context.Box 'omega_target')
            $Context.PsqlTarget = Connect-OmegaDatabase (Get-DatabaseUri $Context.Box 'psql_target')
        }
        Omega       = {
            param($Context)
            $results = Invoke-OmegaMigration -Database $Context.Target -Path $Context.Folder
            if (@($results).Count -ne 200) { throw "Invoke-OmegaMigration applied $(@($results).Count) migrations, expected 200." }
        }
        AfterOmega  = { param($Context) Reset-BenchDatabase $Context 'omega_target' }
        Baseline    = {
            param($Context)
            Invoke-WithPassword $Context.PsqlTarget (Join-Path $Context.Bin 'psql') @('-q', '-1', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'all.sql'))
        }
        AfterBaseline = { param($Context) Reset-BenchDatabase $Context 'psql_target' }
        Teardown    = { param($Context) Remove-SchemaSandbox $Context }
    }
    @{
        Name        = 'Dry run of user_profiles, 1000 tables'
        Target      = '<= 3x'
        TargetRatio = 3.0
        Setup       = {
            param($Context)
            New-SchemaSandbox $Context 1000
            # The runbook's table as production has it before the migration, with rows to index.
            $seed = @'
CREATE TABLE user_profiles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL UNIQUE,
    display_name varchar(80) NOT NULL,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO user_profiles (user_id, display_name, email)
SELECT g, 'User ' || g, 'user' || g || '@example.com' FROM generate_series(1, 10000) g;
ANALYZE user_profiles;
'@
            [IO.File]::WriteAllText((Join-Path $Context.Root 'seed.sql'), $seed)
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'seed.sql'))
            $up = @'
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS bio TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS preferences JSONB;
CREATE INDEX IF NOT EXISTS idx_user_profiles_preferences_gin ON user_profiles USING GIN (preferences);
CREATE INDEX IF NOT EXISTS idx_user_profiles_avatar_url ON user_profiles (avatar_url) WHERE avatar_url IS NOT NULL;
'@
            $verify = "SELECT count(*) = 3 FROM information_schema.columns WHERE table_name = 'user_profiles' AND column_name IN ('avatar_url', 'bio', 'preferences');"
            $Context.Folder = (New-Item -ItemType Directory -Path (Join-Path $Context.Root 'migrations')).FullName
            [IO.File]::WriteAllText((Join-Path $Context.Folder '002_user_profile_basic_fields.sql'), "-- omega:up`n$up`n-- omega:verify`n$verify`n")
            [IO.File]::WriteAllText((Join-Path $Context.Root 'dry-run.sql'), "BEGIN;`n$up`n$verify`nROLLBACK;`n")
        }
        Omega       = {
            param($Context)
            $result = Invoke-OmegaMigration -Database $Context.Box -Path $Context.Folder -DryRun
            if ($result.Status -ne 'DryRun' -or $result.Verify -ne 'Passed' -or $result.Changes.Count -lt 5) { throw "The dry run did not pass: $($result.Status), verify $($result.Verify)." }
        }
        Baseline    = {
            param($Context)
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'dry-run.sql'))
        }
        Teardown    = { param($Context) Remove-SchemaSandbox $Context }
    }
    New-SandboxFromFigure Cold -TargetRatio 1.0
    New-SandboxFromFigure Warm -TargetRatio 0.25
    @{
        Name        = 'Undo data-loss report of user_profiles, 100000 rows'
        Target      = '<= 3x'
        TargetRatio = 3.0
        Setup       = {
            param($Context)
            New-SchemaSandbox $Context 0
            $seed = @'
CREATE TABLE user_profiles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL UNIQUE,
    display_name varchar(80) NOT NULL
);
INSERT INTO user_profiles (user_id, display_name) SELECT g, 'User ' || g FROM generate_series(1, 100000) g;
'@
            [IO.File]::WriteAllText((Join-Path $Context.Root 'seed.sql'), $seed)
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'seed.sql'))
            $up = @'
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS bio TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS preferences JSONB;
CREATE INDEX IF NOT EXISTS idx_user_profiles_preferences_gin ON user_profiles USING GIN (preferences);
'@
            $down = @'
DROP INDEX IF EXISTS idx_user_profiles_preferences_gin;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS avatar_url;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS bio;
ALTER TABLE user_profiles DROP COLUMN IF EXISTS preferences;
'@
            $Context.Folder = (New-Item -ItemType Directory -Path (Join-Path $Context.Root 'migrations')).FullName
            [IO.File]::WriteAllText((Join-Path $Context.Folder '002_user_profile_basic_fields.sql'), "-- omega:up`n$up`n-- omega:down`n$down`n")
            Invoke-OmegaMigration -Database $Context.Box -Path $Context.Folder | Out-Null
            [IO.File]::WriteAllText((Join-Path $Context.Root 'fill.sql'), "UPDATE user_profiles SET bio = 'about ' || id WHERE id % 3 = 0; UPDATE user_profiles SET preferences = '{}' WHERE id % 5 = 0; VACUUM ANALYZE user_profiles;")
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'fill.sql'))
            # By hand: count each column's values, then rehearse the down in a transaction that is rolled back.
            [IO.File]::WriteAllText((Join-Path $Context.Root 'undo-report.sql'),
                "BEGIN;`nSELECT count(avatar_url), count(bio), count(preferences) FROM user_profiles;`n$down`nDELETE FROM omegadb.migration_history WHERE version = 2;`nROLLBACK;`n")
        }
        Omega       = {
            param($Context)
            $result = Undo-OmegaMigration -Database $Context.Box -Path $Context.Folder -DryRun -WarningAction SilentlyContinue
            $bio = ($result.DataLoss | Where-Object Name -EQ 'public.user_profiles.bio').Count
            if ($result.Status -ne 'DryRun' -or $bio -ne 33333) { throw "The undo dry run did not measure the loss: $($result.Status), bio $bio." }
        }
        Baseline    = {
            param($Context)
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'undo-report.sql'))
        }
        Teardown    = { param($Context) Remove-SchemaSandbox $Context }
    }
    @{
        Name        = 'Backup vs pg_dump -Fc, 1000 tables'
        Target      = '<= 1.1x'
        TargetRatio = 1.1
        Setup       = {
            param($Context)
            New-SchemaSandbox $Context 1000
            # Rows enough that the dump itself takes measurable time: 3 x 100k.
            $seed = (1..3 | ForEach-Object {
                "CREATE TABLE bench_rows_$_ (id bigint PRIMARY KEY, name text NOT NULL, amount numeric(12,2), created timestamptz NOT NULL DEFAULT now());" +
                "INSERT INTO bench_rows_$_ (id, name, amount) SELECT g, md5(g::text), g % 1000 FROM generate_series(1, 100000) g;"
            }) -join "`n"
            [IO.File]::WriteAllText((Join-Path $Context.Root 'rows.sql'), "$seed`nANALYZE;`n")
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-f', (Join-Path $Context.Root 'rows.sql'))
            $Context.OmegaDir = (New-Item -ItemType Directory -Path (Join-Path $Context.Root 'omega-backups')).FullName
            $Context.DumpFile = Join-Path $Context.Root 'baseline.dump'
        }
        Omega       = {
            param($Context)
            $backup = Backup-OmegaDatabase $Context.Box -Path $Context.OmegaDir
            if ($backup.RowCounts.Count -lt 1003 -or $backup.RowCounts['public.bench_rows_1'] -ne 100000) { throw "The backup counted $($backup.RowCounts.Count) tables." }
        }
        AfterOmega  = { param($Context) Get-ChildItem -Force $Context.OmegaDir | Remove-Item -Recurse -Force }
        Baseline    = {
            param($Context)
            Invoke-WithPassword $Context.Box (Join-Path $Context.Bin 'pg_dump') @('-Fc', '-f', $Context.DumpFile)
        }
        AfterBaseline = { param($Context) Remove-Item -LiteralPath $Context.DumpFile -Force }
        Teardown    = { param($Context) Remove-SchemaSandbox $Context }
    }
    @{
        Name        = 'Copy 1M rows'
        Target      = '<= 1.0x'
        TargetRatio = 1.0
        Setup       = {
            param($Context)
            New-SchemaSandbox $Context 0
            $table = 'CREATE TABLE payments (id bigint PRIMARY KEY, account_id int NOT NULL, amount numeric(12,2) NOT NULL, created_at timestamptz NOT NULL, note text)'
            foreach ($name in 'copy_source', 'omega_target', 'psql_target') {
                Reset-BenchDatabase $Context $name
                Invoke-WithPassword (Connect-OmegaDatabase (Get-DatabaseUri $Context.Box $name)) (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-c', $table)
            }
            $Context.Source = Connect-OmegaDatabase (Get-DatabaseUri $Context.Box 'copy_source')
            $Context.Target = Connect-OmegaDatabase (Get-DatabaseUri $Context.Box 'omega_target')
            $Context.PsqlTarget = Connect-OmegaDatabase (Get-DatabaseUri $Context.Box 'psql_target')
            Invoke-WithPassword $Context.Source (Join-Path $Context.Bin 'psql') @('-q', '-v', 'ON_ERROR_STOP=1', '-c', @'
INSERT INTO payments SELECT g, 1 + g % 5000, (g % 100000) / 100.0, timestamptz '2024-01-01' + g * interval '1 second', CASE WHEN g % 3 = 0 THEN 'note ' || g END
  FROM generate_series(1, 1000000) g
'@, '-c', 'VACUUM ANALYZE payments')
        }
        Omega       = {
            param($Context)
            $result = Copy-OmegaData -Source $Context.Source -Destination $Context.Target -Table payments
            if ($result.Rows -ne 1000000) { throw "Copy-OmegaData copied $($result.Rows) rows, expected 1000000." }
        }
        AfterOmega  = { param($Context) Invoke-WithPassword $Context.Target (Join-Path $Context.Bin 'psql') @('-q', '-c', 'TRUNCATE payments') }
        Baseline    = {
            param($Context)
            # What a user types: psql \copy out of one database piped into psql \copy into the
            # other; the password travels in PGPASSWORD, as Invoke-WithPassword does.
            $psql = Join-Path $Context.Bin 'psql'
            $box = $Context.Box
            $connect = "-X -q -v ON_ERROR_STOP=1 -h $($box.Host) -p $($box.Port) -U $($box.User)"
            $pipeline = "set -o pipefail; '$psql' $connect -d copy_source -c '\copy payments to stdout' | '$psql' $connect -d psql_target -c '\copy payments from stdin'"
            $userInfo = ([Uri] $box.GetConnectionUri()).UserInfo
            $saved = $env:PGPASSWORD
            try {
                $env:PGPASSWORD = [Uri]::UnescapeDataString($userInfo.Substring($userInfo.IndexOf(':') + 1))
                Invoke-Checked bash @('-c', $pipeline)
            }
            finally { $env:PGPASSWORD = $saved }
        }
        AfterBaseline = { param($Context) Invoke-WithPassword $Context.PsqlTarget (Join-Path $Context.Bin 'psql') @('-q', '-c', 'TRUNCATE payments') }
        Teardown    = { param($Context) Remove-SchemaSandbox $Context }
    }
)

#endregion

function Measure-Side {
    <# Times one side of a figure once; its After block runs untimed, even when the run fails. #>
    param([hashtable] $Spec, [string] $Side, [hashtable] $Context)
    # A collection left over from the other side's garbage should not land in this timing.
    [GC]::Collect()
    [GC]::WaitForPendingFinalizers()
    $result = $null
    $watch = [Diagnostics.Stopwatch]::new()
    try {
        $watch.Start()
        $result = & $Spec[$Side] $Context
        $watch.Stop()
    }
    finally {
        $watch.Stop()
        if ($Spec["After$Side"]) { & $Spec["After$Side"] $Context $result }
    }
    return $watch.Elapsed.TotalMilliseconds
}

$selected = @(if ($Figure) {
        $Figures | Where-Object { $name = $_.Name; @($Figure | Where-Object { $name -like $_ }).Count -gt 0 }
    }
    else { $Figures })
if ($selected.Count -eq 0) {
    throw "No figure matches '$($Figure -join "', '")'. Figures: $(($Figures | ForEach-Object Name) -join ', ')."
}

Write-Host "OmegaDb benchmark: $($selected.Count) figure(s), $Iterations iteration(s) after 1 warm-up, $([Environment]::ProcessorCount) cores."
$results = [Collections.Generic.List[object]]::new()
$failed = 0
foreach ($spec in $selected) {
    # A figure made for one size (Tables) finds it in its context.
    $context = @{ Tables = $spec['Tables']; Cache = $spec['Cache'] }
    $samples = @{ Omega = [Collections.Generic.List[double]]::new(); Baseline = [Collections.Generic.List[double]]::new() }
    $errorText = $null
    try {
        & $spec.Setup $context
        for ($round = 0; $round -le $Iterations; $round++) {
            $order = if ($round % 2 -eq 0) { 'Baseline', 'Omega' } else { 'Omega', 'Baseline' }
            $times = @{}
            foreach ($side in $order) { $times[$side] = Measure-Side $spec $side $context }
            $label = if ($round -eq 0) { 'warm-up' } else { "$round/$Iterations" }
            Write-Host ('  {0,-24} {1,-8} omega {2,8:0.0} ms   baseline {3,8:0.0} ms' -f $spec.Name, $label, $times.Omega, $times.Baseline)
            if ($round -gt 0) { foreach ($side in $order) { $samples[$side].Add($times[$side]) } }
        }
    }
    catch {
        $failed++
        $errorText = "$_"
        Write-Host "  $($spec.Name) failed: $errorText" -ForegroundColor Red
    }
    finally {
        if ($spec.Teardown) { & $spec.Teardown $context }
    }

    $omegaMedian = if ($samples.Omega.Count) { Get-Median $samples.Omega } else { $null }
    $baselineMedian = if ($samples.Baseline.Count) { Get-Median $samples.Baseline } else { $null }
    $ratio = if ($null -ne $errorText -or -not $baselineMedian) { $null } else { $omegaMedian / $baselineMedian }
    $results.Add([ordered]@{
            name             = $spec.Name
            target           = $spec.Target
            targetRatio      = $spec.TargetRatio
            omegaMedianMs    = $omegaMedian
            baselineMedianMs = $baselineMedian
            ratio            = $ratio
            verdict          = if ($null -eq $ratio) { 'error' } elseif ($ratio -le $spec.TargetRatio) { 'meets' } else { 'misses' }
            omegaMs          = $samples.Omega.ToArray()
            baselineMs       = $samples.Baseline.ToArray()
            error            = $errorText
            postgres         = $context['PostgresVersion']
            tables           = $spec['Tables']
            queries          = $context['Queries']
            serverAccount    = $context['Account']
        })
}

# Growth: the time per table at the largest size over that at the smallest. Linear growth
# gives 1.0 or less (fixed costs spread over more tables); the query count must not move.
$series = @($results | Where-Object { $_.name -like 'Schema snapshot, * tables' -and $null -ne $_.omegaMedianMs } | Sort-Object { $_.tables })
if ($series.Count -ge 2) {
    $small = $series[0]
    $large = $series[-1]
    $perTable = ($large.omegaMedianMs / $large.tables) / ($small.omegaMedianMs / $small.tables)
    $queryCounts = @($series | ForEach-Object { $_.queries } | Select-Object -Unique)
    $constant = $queryCounts.Count -eq 1
    $results.Add([ordered]@{
            name             = "Schema snapshot growth, $($small.tables) to $($large.tables) tables"
            target           = '<= 1.25x per table, constant queries'
            targetRatio      = 1.25
            omegaMedianMs    = $large.omegaMedianMs
            baselineMedianMs = $small.omegaMedianMs * $large.tables / $small.tables
            ratio            = $perTable
            verdict          = if ($perTable -le 1.25 -and $constant) { 'meets' } else { 'misses' }
            series           = @($series | ForEach-Object { [ordered]@{ tables = $_.tables; omegaMs = $_.omegaMedianMs; pgDumpMs = $_.baselineMedianMs; queries = $_.queries } })
            error            = $null
        })
    Write-Host ("Schema snapshot growth: " + (($series | ForEach-Object { '{0} tables {1:0} ms ({2} queries)' -f $_.tables, $_.omegaMedianMs, $_.queries }) -join ', '))
}

$results | ForEach-Object {
    [pscustomobject]@{
        'Figure'                = $_.name
        'OmegaDb (ms, median)'  = if ($null -ne $_.omegaMedianMs) { [int][Math]::Round($_.omegaMedianMs) } else { '-' }
        'Baseline (ms, median)' = if ($null -ne $_.baselineMedianMs) { [int][Math]::Round($_.baselineMedianMs) } else { '-' }
        'Ratio'                 = if ($null -ne $_.ratio) { '{0:0.00}x' -f $_.ratio } else { '-' }
        'Target'                = $_.target
        'Verdict'               = $_.verdict
    }
} | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

$report = [ordered]@{
    date       = [DateTimeOffset]::Now.ToString('o')
    machine    = [ordered]@{
        cores      = [Environment]::ProcessorCount
        os         = [Runtime.InteropServices.RuntimeInformation]::OSDescription
        powershell = "$($PSVersionTable.PSVersion)"
        dotnet     = [Runtime.InteropServices.RuntimeInformation]::FrameworkDescription
    }
    module     = "$((Get-Module OmegaDb).Version)"
    iterations = $Iterations
    warmups    = 1
    figures    = $results
}
$null = New-Item -ItemType Directory -Path (Split-Path $ResultsFile -Parent) -Force
[IO.File]::WriteAllText($ResultsFile, ($report | ConvertTo-Json -Depth 6))

$met = @($results | Where-Object { $_.verdict -eq 'meets' }).Count
$detail = ($results | ForEach-Object {
        if ($null -ne $_.ratio) { '{0} {1:0.00}x ({2}, {3})' -f $_.name, $_.ratio, $_.target, $_.verdict } else { "$($_.name) error" }
    }) -join '; '
Write-Host "Summary: $met of $($results.Count) figure(s) meet target on $([Environment]::ProcessorCount) cores, $Iterations iterations: $detail. Results: $ResultsFile"
exit ($failed ? 1 : 0)
