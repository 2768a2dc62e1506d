# Concurrent runs and crashed runs of Invoke-OmegaMigration, in child pwsh processes the way
# two deploy jobs or a killed CI runner would run them, against a real server.

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-migration-concurrency
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-migration-concurrency-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    $script:children = [Collections.Generic.List[object]]::new()

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    function New-MigrationFolder([string] $Name, [hashtable] $Files) { TestHelpers\New-MigrationFolder -Root $work -Name $Name -Files $Files }

    # A child pwsh that runs Invoke-OmegaMigration and writes what it saw to $Log. The database
    # URI reaches it in an environment variable, never on its command line or in its script.
    function Start-MigrationChild([string] $Folder, [string] $Log, [string] $Ready, [string] $Go) {
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:OMEGADB_MODULE_PATH'
`$lines = [Collections.Generic.List[string]]::new()
if ('$Ready') { New-Item -ItemType File -Path '$Ready' | Out-Null }
if ('$Go') { while (-not (Test-Path '$Go')) { Start-Sleep -Milliseconds 20 } }
try {
    Invoke-OmegaMigration -Database `$env:OMEGA_TEST_URI -Path '$Folder' -LockWaitTimeout 00:00:45 -Verbose 4>&1 | ForEach-Object {
        if (`$_ -is [Management.Automation.VerboseRecord]) { `$lines.Add('VERBOSE: ' + `$_.Message) }
        else { `$lines.Add("RESULT: `$(`$_.Version) `$(`$_.Status)") }
    }
    `$lines.Add('DONE')
}
catch { `$lines.Add("ERROR: `$_") }
`$lines | Set-Content -LiteralPath '$Log'
"@
        $child = Start-ChildPwsh -Script $script
        $children.Add($child)
        $child
    }
}

AfterAll {
    foreach ($c in $children) { if (-not $c.HasExited) { $c.Kill() }; $c.Dispose() }
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe '8 runs started at once' {
    BeforeAll {
        $script:db = New-ScratchDatabase 'CREATE TABLE counter (migration int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());'
        $script:folder = New-MigrationFolder concurrent @{
            '001_first.sql'  = "INSERT INTO counter (migration) VALUES (1);`nCREATE TABLE made_once (id int);`n"
            # Slow enough that the other runs find the lock taken and say who holds it.
            '002_slow.sql'   = "-- omega:up`nINSERT INTO counter (migration) VALUES (2);`nSELECT pg_sleep(1.5);`n-- omega:verify`nSELECT count(*) = 1 FROM counter WHERE migration = 2;`n"
            '003_third.sql'  = "INSERT INTO counter (migration) VALUES (3);`nALTER TABLE made_once ADD COLUMN note text;`n"
        }

        $ready = Join-Path $work 'ready'
        New-Item -ItemType Directory -Path $ready -Force | Out-Null
        $go = Join-Path $work 'go'
        $env:OMEGA_TEST_URI = $db.GetConnectionUri()
        try {
            $script:logs = foreach ($n in 1..8) {
                $log = Join-Path $work "concurrent-$n.log"
                Start-MigrationChild -Folder $folder -Log $log -Ready (Join-Path $ready $n) -Go $go | Out-Null
                $log
            }
        }
        finally { Remove-Item env:OMEGA_TEST_URI }

        # Every child has imported the module before any of them starts, so they really race.
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (@(Get-ChildItem $ready).Count -lt 8 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        New-Item -ItemType File -Path $go | Out-Null
        foreach ($c in $children) { $c.WaitForExit(60000) | Out-Null }
        $script:outputs = foreach ($log in $logs) { if (Test-Path $log) { Get-Content -LiteralPath $log -Raw } else { '' } }
    }

    It 'lets every run finish without an error' {
        $outputs.Count | Should -Be 8
        foreach ($o in $outputs) {
            $o | Should -Match 'DONE'
            $o | Should -Not -Match 'ERROR:'
        }
    }

    It 'applies each migration exactly once, in one run' {
        $applied = $outputs | ForEach-Object { [regex]::Matches($_, 'RESULT: (\d+) Applied') | ForEach-Object { [int]$_.Groups[1].Value } }
        ($applied | Sort-Object) | Should -Be 1, 2, 3
        (Invoke-TestSql $db 'SELECT migration FROM counter ORDER BY migration') | Should -Be 1, 2, 3
        (Invoke-TestSql $db "SELECT count(*) FROM information_schema.columns WHERE table_name = 'made_once' AND column_name = 'note'") | Should -Be 1
    }

    It 'leaves a consistent history' {
        (Invoke-TestSql $db 'SELECT version FROM omegadb.migration_history ORDER BY version') | Should -Be 1, 2, 3
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Applied, Applied, Applied
        # Each migration's history row went in with its own statements.
        (Invoke-TestSql $db 'SELECT bool_and(h.applied_at >= c.at) FROM omegadb.migration_history h JOIN counter c ON c.migration = h.version') | Should -Be 't'
    }

    It 'tells the waiting runs who holds the migration lock' {
        $waiting = @($outputs | Where-Object { $_ -match "Waiting for the migration lock, held by pid \d+ \('OmegaDb migration lock \(pid \d+" })
        $waiting.Count | Should -BeGreaterThan 0
        ($waiting -join "`n") | Should -Match 'since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d'
        # The runs that waited read the history again once they had the lock: they found nothing to do.
        @($outputs | Where-Object { $_ -match 'is up to date' }).Count | Should -BeGreaterOrEqual 7
    }

    It 'releases the lock when the runs are over' {
        (Invoke-TestSql $db "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") | Should -Be 0
    }
}

Describe 'A run killed with SIGKILL in the middle of a migration' {
    BeforeAll {
        $script:db = New-ScratchDatabase 'CREATE TABLE crash_delay (seconds int NOT NULL); INSERT INTO crash_delay VALUES (30);'
        $script:folder = New-MigrationFolder crash @{
            '001_long.sql' = "CREATE TABLE crash_half (id int);`nINSERT INTO crash_half VALUES (1);`nSELECT pg_sleep(seconds) FROM crash_delay;`nINSERT INTO crash_half VALUES (2);`n"
        }
        $env:OMEGA_TEST_URI = $db.GetConnectionUri()
        try { $script:child = Start-MigrationChild -Folder $folder -Log (Join-Path $work 'crash.log') }
        finally { Remove-Item env:OMEGA_TEST_URI }

        # Killed once its migration is sleeping, after its DDL ran.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        $script:sleeping = $false
        while (-not $sleeping -and [DateTime]::UtcNow -lt $deadline -and -not $child.HasExited) {
            $sleeping = (Invoke-TestSql $db "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'OmegaDb migration (pid $($child.Id) %' AND state = 'active' AND query LIKE '%pg_sleep%'") -ne '0'
            if (-not $sleeping) { Start-Sleep -Milliseconds 100 }
        }
        $script:appNamePattern = "OmegaDb %(pid $($child.Id) %"
        $script:sessionsBefore = Invoke-TestSql $db "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '$appNamePattern'"

        # Meanwhile another run gives up waiting for the migration lock, and says who has it.
        $script:waitError = $null
        try { $db | Invoke-OmegaMigration -Path $folder -LockWaitTimeout 00:00:01 | Out-Null }
        catch { $script:waitError = $_ }
        $child.Kill()
        $child.WaitForExit(10000) | Out-Null
    }

    It 'was in the middle of the migration, holding the migration lock, when it was killed' {
        $sleeping | Should -BeTrue
        [int]$sessionsBefore | Should -BeGreaterOrEqual 2
        $child.HasExited | Should -BeTrue
        $child.ExitCode | Should -Be 137
    }

    It 'made a second run give up after -LockWaitTimeout, naming the holder' {
        $waitError.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationLockTimeout,*'
        $waitError.CategoryInfo.Category | Should -Be ResourceBusy
        "$waitError" | Should -Match "holds the migration lock on .*: pid \d+ \('OmegaDb migration lock \(pid $($child.Id) "
        "$waitError" | Should -Match 'since \d{4}-\d\d-\d\d'
        "$waitError" | Should -Match 'Gave up after 1 s'
    }

    It 'leaves no session, no advisory lock and no relation lock behind within seconds' {
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        do {
            $left = Invoke-TestSql $db @"
SELECT (SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '$appNamePattern')
     + (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory')
     + (SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'relation' AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
"@
            if ($left -eq '0') { break }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
        Write-Host ("    the server let go of the killed run's sessions and locks after {0:0.0} s" -f $clock.Elapsed.TotalSeconds)
        $left | Should -Be 0
    }

    It 'leaves nothing of the migration half applied' {
        (Invoke-TestSql $db "SELECT to_regclass('public.crash_half') IS NULL") | Should -Be 't'
        (Invoke-TestSql $db 'SELECT count(*) FROM omegadb.migration_history') | Should -Be 0
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Pending
    }

    It 'lets the next run apply it' {
        Invoke-TestSql $db 'UPDATE crash_delay SET seconds = 0;' | Out-Null
        $results = @($db | Invoke-OmegaMigration -Path $folder -LockWaitTimeout 00:00:05)
        $results.Status | Should -Be Applied
        (Invoke-TestSql $db 'SELECT id FROM crash_half ORDER BY id') | Should -Be 1, 2
    }
}
