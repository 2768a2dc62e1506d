# The safety rules of Invoke-OmegaMigration against a real server: the lock timeout and its
# retries while another session holds a lock (and what that means for a third session's
# reads), the production defaults, and the production gate with its rehearsal records.

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-migration-safety
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-migration-safety-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    $script:processes = [Collections.Generic.List[object]]::new()

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    function New-MigrationFolder([string] $Name, [hashtable] $Files) { TestHelpers\New-MigrationFolder -Root $work -Name $Name -Files $Files }

    # A psql session of its own, fed through stdin; the password travels in its environment only.
    function Start-PsqlSession($Database, [string] $ApplicationName) {
        $start = [Diagnostics.ProcessStartInfo]::new((Get-PsqlPath))
        foreach ($a in '-h', $Database.Host, '-p', "$($Database.Port)", '-U', $Database.User, '-d', $Database.Database, '-At', '-v', 'ON_ERROR_STOP=1') {
            $start.ArgumentList.Add($a)
        }
        $start.Environment['PGPASSWORD'] = Get-TestPassword $Database
        $start.Environment['PGAPPNAME'] = $ApplicationName
        $start.RedirectStandardInput = $true
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $process = [Diagnostics.Process]::Start($start)
        $processes.Add($process)
        $process
    }

    # The pid of the backend of session $ApplicationName once it holds a lock on $Table.
    function Wait-LockHolder($Database, [string] $ApplicationName, [string] $Table) {
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ([DateTime]::UtcNow -lt $deadline) {
            $holderPid = Invoke-TestSql $Database "SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid WHERE a.application_name = '$ApplicationName' AND l.relation = '$Table'::regclass AND l.granted LIMIT 1"
            if ($holderPid) { return [int]$holderPid }
            Start-Sleep -Milliseconds 50
        }
        throw "session $ApplicationName never took its lock on $Table"
    }
}

AfterAll {
    foreach ($p in $processes) { if (-not $p.HasExited) { $p.Kill() }; $p.Dispose() }
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'Lock timeout and retries while another session holds a lock' {
    BeforeAll {
        $script:db = New-ScratchDatabase "CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g;"
        $script:folder = New-MigrationFolder locked @{ '001_add_column.sql' = "ALTER TABLE t ADD COLUMN blocked_col int;`n" }
    }

    It 'gives up after the lock timeout, retries, names the blocking session, and never blocks a third session''s reads for longer than the lock timeout' {
        # The holder: a transaction that read t and stays idle in it.
        $holder = Start-PsqlSession $db 'omega-test-holder'
        $holder.StandardInput.WriteLine('BEGIN; SELECT count(*) FROM t;')
        $holder.StandardInput.Flush()
        $holderPid = Wait-LockHolder $db 'omega-test-holder' 't'

        # The third session: reads t in a loop and times each read, from connect to result.
        $flag = [hashtable]::Synchronized(@{ Stop = $false })
        $reader = Start-ThreadJob -ArgumentList (Get-PsqlPath), $db.Host, $db.Port, $db.User, $db.Database, (Get-TestPassword $db), $flag -ScriptBlock {
            param($psql, $hostName, $port, $user, $database, $password, $flag)
            $reads = [Collections.Generic.List[object]]::new()
            while (-not $flag.Stop) {
                $start = [Diagnostics.ProcessStartInfo]::new($psql)
                foreach ($a in '-h', $hostName, '-p', "$port", '-U', $user, '-d', $database, '-At', '-c', 'SELECT count(*) FROM t') { $start.ArgumentList.Add($a) }
                $start.Environment['PGPASSWORD'] = $password
                $start.RedirectStandardOutput = $true
                $start.RedirectStandardError = $true
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $p = [Diagnostics.Process]::Start($start)
                $out = $p.StandardOutput.ReadToEnd()
                $p.WaitForExit()
                $clock.Stop()
                $reads.Add([pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; ExitCode = $p.ExitCode; Output = $out.Trim() })
                Start-Sleep -Milliseconds 20
            }
            $reads
        }

        try {
            Start-Sleep -Milliseconds 300
            $clock = [Diagnostics.Stopwatch]::StartNew()
            # The statement timeout only keeps a broken lock timeout from hanging the test.
            $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder -LockTimeout 00:00:01 -RetryCount 2 -StatementTimeout 00:00:10 -Verbose }
            $clock.Stop()
            Start-Sleep -Milliseconds 300
        }
        finally {
            $flag.Stop = $true
            $reads = @(Receive-Job $reader -Wait -AutoRemoveJob)
            $holder.StandardInput.WriteLine('COMMIT;')
            $holder.StandardInput.Close()
            $holder.WaitForExit(5000) | Out-Null
        }

        # Gave up: three attempts, each ended by the lock timeout, then a terminating error.
        $run.Results.Count | Should -Be 1
        $run.Results[0].Status | Should -Be Failed
        $run.Results[0].Attempts | Should -Be 3
        $run.Results[0].Error.SqlState | Should -Be '55P03'
        ($run.Messages -join "`n") | Should -Match 'retry 1 of 2'
        ($run.Messages -join "`n") | Should -Match 'retry 2 of 2'
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
        $run.Error.CategoryInfo.Category | Should -Be ResourceBusy
        $message = "$($run.Error)"
        $message | Should -Match 'lock timeout'
        $message | Should -Match "held by pid $holderPid \('omega-test-holder'"
        $message | Should -Match 'idle in transaction'
        $message | Should -Match 'gave up after 3 attempts'
        $message | Should -Match 'raise -LockTimeout'
        (Invoke-TestSql $db "SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'blocked_col'") | Should -Be 0

        # The third session: every read answered, none waited much longer than the lock timeout,
        # although some of them did queue behind the waiting ALTER TABLE (so the bound means something).
        $reads.Count | Should -BeGreaterThan 10
        $reads | Where-Object { $_.ExitCode -ne 0 -or $_.Output -ne '1000' } | Should -BeNullOrEmpty
        $longest = ($reads | Measure-Object Seconds -Maximum).Maximum
        Write-Host ("    {0} reads during a {1:0.0} s run; the longest took {2:0.00} s" -f $reads.Count, $clock.Elapsed.TotalSeconds, $longest)
        $longest | Should -BeLessThan 2.5 -Because 'a read waits at most for the migration''s 1 s lock timeout, plus a generous margin for starting psql'
        $longest | Should -BeGreaterThan 0.3 -Because 'reads queue behind the waiting ALTER TABLE until its lock timeout ends the wait'
    }

    It 'ends a statement that runs longer than -StatementTimeout, and does not retry it' {
        $slow = New-MigrationFolder slow @{ '001_slow.sql' = "CREATE TABLE slow_half (id int);`nSELECT pg_sleep(5);`n" }
        $other = New-ScratchDatabase
        $run = Invoke-Collecting { $other | Invoke-OmegaMigration -Path $slow -StatementTimeout 00:00:00.5 -RetryCount 2 }
        $run.Results.Status | Should -Be Failed
        $run.Results[0].Attempts | Should -Be 1
        $run.Results[0].Error.SqlState | Should -Be '57014'
        $run.Results[0].Error.Line | Should -Be 2
        "$($run.Error)" | Should -Match 'statement timeout'
        (Invoke-TestSql $other "SELECT to_regclass('slow_half') IS NULL") | Should -Be 't'
    }

    It 'applies the migration once the other session is gone' {
        $results = @($db | Invoke-OmegaMigration -Path $folder -LockTimeout 00:00:01 -RetryCount 2)
        $results.Status | Should -Be Applied
        $results[0].Attempts | Should -Be 1
    }
}

Describe 'Production defaults: a 5 s lock timeout and retries' {
    BeforeAll {
        $script:scratchDb = New-ScratchDatabase "CREATE TABLE t (id int); INSERT INTO t VALUES (1);"
        $script:prod = Connect-OmegaDatabase $scratchDb.GetConnectionUri() -Environment Production
    }

    It 'runs a production migration with lock_timeout 5s when -LockTimeout is not given, and none elsewhere' {
        $folder = New-MigrationFolder prod-timeout @{
            '001_check.sql' = "-- omega:up`nCREATE TABLE checked (id int);`n-- omega:verify`nSELECT current_setting('lock_timeout') = '5s';`n"
        }
        $prod.Environment | Should -Be Production
        $results = @($prod | Invoke-OmegaMigration -Path $folder -SkipRehearsalCheck -Confirm:$false)
        $results.Status | Should -Be Applied
        $results.Verify | Should -Be Passed

        # The same migration on a database that is not marked Production has no lock timeout.
        $other = New-ScratchDatabase
        $run = Invoke-Collecting { $other | Invoke-OmegaMigration -Path $folder }
        $run.Results.Verify | Should -Be Failed
    }

    It 'retries a production migration after a lock timeout without -RetryCount' {
        $folder = New-MigrationFolder prod-retry @{ '002_alter.sql' = "ALTER TABLE t ADD COLUMN retried int;`n" }
        # A holder that lets go by itself after 2.5 s: the first attempt times out, a retry succeeds.
        $holder = Start-PsqlSession $scratchDb 'omega-test-brief-holder'
        $holder.StandardInput.WriteLine('BEGIN; SELECT count(*) FROM t; SELECT pg_sleep(2.5); COMMIT;')
        $holder.StandardInput.Close()
        Wait-LockHolder $scratchDb 'omega-test-brief-holder' 't' | Out-Null

        $run = Invoke-Collecting { $prod | Invoke-OmegaMigration -Path $folder -LockTimeout 00:00:01 -SkipRehearsalCheck -Confirm:$false -Verbose }
        $holder.WaitForExit(10000) | Out-Null
        $run.Error | Should -BeNullOrEmpty
        $run.Results.Status | Should -Be Applied
        $run.Results[0].Attempts | Should -BeGreaterOrEqual 2
        ($run.Messages -join "`n") | Should -Match 'retry 1 of 3'
        ($run.Messages -join "`n") | Should -Match 'Production gate skipped'
    }
}

Describe 'The production gate and rehearsal records' {
    BeforeAll {
        $script:ddl = @'
CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers, total numeric(12,2) NOT NULL);
CREATE INDEX orders_customer ON orders (customer_id);
'@
        # Production and the sandbox start from the same schema.
        $script:sandbox = New-ScratchDatabase $ddl
        $script:prodScratch = New-ScratchDatabase $ddl
        $script:prod = Connect-OmegaDatabase $prodScratch.GetConnectionUri() -Environment Production
        $script:folder = New-MigrationFolder gate @{
            '001_status.sql' = "-- omega:up`nALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';`n-- omega:verify`nSELECT count(*) = 1 FROM information_schema.columns WHERE table_name = 'orders' AND column_name = 'status';`n"
            '002_index.sql'  = "CREATE INDEX orders_status ON orders (status);`n"
        }
        $script:log = Join-Path $folder '.omega/rehearsals.json'

        function Get-Rehearsals([string] $Path = $log) {
            if (Test-Path $Path) { @((Get-Content $Path -Raw | ConvertFrom-Json).Rehearsals) } else { @() }
        }
    }

    It 'starts from the same fingerprint on the sandbox and on production' {
        $sandbox | Should -BeOfType ([OmegaDb.OmegaSandbox])
        $prod | Should -Not -BeOfType ([OmegaDb.OmegaSandbox])
        (Get-OmegaSchema $prod).Fingerprint | Should -Be (Get-OmegaSchema $sandbox).Fingerprint
    }

    It 'refuses production without a rehearsal, says what to run, and changes nothing' {
        $before = (Get-OmegaSchema $prod).Fingerprint
        $run = Invoke-Collecting { $prod | Invoke-OmegaMigration -Path $folder }
        $run.Results | Should -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.RehearsalRequired,*'
        $message = "$($run.Error)"
        $message | Should -Match 'marked Production'
        $message | Should -Match 'migrations 1, 2'
        $message | Should -Match 'New-OmegaSandbox'
        $message | Should -Match 'Invoke-OmegaMigration -Path'
        $message | Should -Match ([regex]::Escape($log))
        $message | Should -Match 'Nothing was run'
        (Get-OmegaSchema $prod).Fingerprint | Should -Be $before
        (Invoke-TestSql $prod "SELECT count(*) FROM pg_namespace WHERE nspname = 'omegadb'") | Should -Be 0
    }

    It 'records a dry run on the sandbox in .omega/rehearsals.json beside the migrations' {
        Test-Path $log | Should -BeFalse
        $results = @($sandbox | Invoke-OmegaMigration -Path $folder -DryRun)
        $results.Status | Should -Be DryRun, DryRun
        $rehearsals = Get-Rehearsals
        $rehearsals.Count | Should -Be 1
        $rehearsals[0].DryRun | Should -BeTrue
        $rehearsals[0].Sandbox | Should -Be $sandbox.Name
        $rehearsals[0].VerifyPassed | Should -BeTrue
        $rehearsals[0].FingerprintBefore | Should -Be (Get-OmegaSchema $sandbox).Fingerprint
        $rehearsals[0].Migrations.Version | Should -Be 1, 2
        $rehearsals[0].Migrations.Checksum | Should -Be (Get-OmegaMigration -Path $folder).Checksum
        (Get-Content $log -Raw) | Should -Not -Match ([regex]::Escape((Get-TestPassword $sandbox)))
    }

    It 'does not record a failed rehearsal, nor a run on a database that is not a sandbox' {
        $failing = New-MigrationFolder gate-failing @{ '001_bad.sql' = "-- omega:up`nCREATE TABLE bad (id int);`n-- omega:verify`nSELECT false;`n" }
        $failingLog = Join-Path $failing '.omega/rehearsals.json'
        $run = Invoke-Collecting { $sandbox | Invoke-OmegaMigration -Path $failing -DryRun }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
        Test-Path $failingLog | Should -BeFalse

        $plain = Connect-OmegaDatabase $sandbox.GetConnectionUri()
        $plain | Invoke-OmegaMigration -Path $folder -DryRun -RehearsalPath (Join-Path $work 'plain.json') | Should -HaveCount 2
        Test-Path (Join-Path $work 'plain.json') | Should -BeFalse
    }

    It 'does not accept the rehearsal once a migration file changed' {
        $file = Join-Path $folder '002_index.sql'
        $original = Get-Content -LiteralPath $file -Raw
        try {
            Set-Content -LiteralPath $file -Value "CREATE INDEX orders_status ON orders (status, total);`n" -NoNewline
            $run = Invoke-Collecting { $prod | Invoke-OmegaMigration -Path $folder }
            $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.RehearsalRequired,*'
        }
        finally { Set-Content -LiteralPath $file -Value $original -NoNewline }
        (Invoke-TestSql $prod "SELECT count(*) FROM pg_namespace WHERE nspname = 'omegadb'") | Should -Be 0
    }

    It 'does not accept the rehearsal once production''s schema differs from the rehearsed one' {
        Invoke-TestSql $prod 'CREATE TABLE drifted (id int);' | Out-Null
        try {
            $run = Invoke-Collecting { $prod | Invoke-OmegaMigration -Path $folder }
            $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.RehearsalRequired,*'
        }
        finally { Invoke-TestSql $prod 'DROP TABLE drifted;' | Out-Null }
        (Get-OmegaSchema $prod).Fingerprint | Should -Be (Get-OmegaSchema $sandbox).Fingerprint
    }

    It 'passes the gate after a matching rehearsal, and says which one' {
        $run = Invoke-Collecting { $prod | Invoke-OmegaMigration -Path $folder -Verbose }
        $run.Error | Should -BeNullOrEmpty
        $run.Results.Status | Should -Be Applied, Applied
        $gate = $run.Messages | Where-Object { $_ -match 'Production gate passed' }
        $gate | Should -Not -BeNullOrEmpty
        $gate | Should -Match ([regex]::Escape($sandbox.Name))
        $gate | Should -Match '\(dry run\)'
        (Get-OmegaMigration -Path $folder -Database $prod).Status | Should -Be Applied, Applied
        # A run on production is not a rehearsal.
        (Get-Rehearsals).Count | Should -Be 1
    }

    It 'records a real run on a sandbox too, with the fingerprint after it' {
        $results = @($sandbox | Invoke-OmegaMigration -Path $folder)
        $results.Status | Should -Be Applied, Applied
        $last = (Get-Rehearsals)[-1]
        $last.DryRun | Should -BeFalse
        $last.FingerprintAfter | Should -Be (Get-OmegaSchema $sandbox).Fingerprint
        $last.FingerprintAfter | Should -Be (Get-OmegaSchema $prod).Fingerprint
    }

    It 'looks only in -RehearsalPath when given, and -SkipRehearsalCheck -Confirm:$false overrides the gate' {
        $prodScratch2 = New-ScratchDatabase $ddl
        $prod2 = Connect-OmegaDatabase $prodScratch2.GetConnectionUri() -Environment Production
        $elsewhere = Join-Path $work 'elsewhere/rehearsals.json'

        $run = Invoke-Collecting { $prod2 | Invoke-OmegaMigration -Path $folder -RehearsalPath $elsewhere }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.RehearsalRequired,*'
        "$($run.Error)" | Should -Match ([regex]::Escape($elsewhere))

        $run = Invoke-Collecting { $prod2 | Invoke-OmegaMigration -Path $folder -RehearsalPath $elsewhere -SkipRehearsalCheck -Confirm:$false -Verbose }
        $run.Error | Should -BeNullOrEmpty
        $run.Results.Status | Should -Be Applied, Applied
        ($run.Messages -join "`n") | Should -Match 'Production gate skipped \(-SkipRehearsalCheck\)'
        Test-Path $elsewhere | Should -BeFalse
    }
}
