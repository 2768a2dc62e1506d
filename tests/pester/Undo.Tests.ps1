# Undo-OmegaMigration as users call it: the data-loss guard on the examples' 002 migration
# (refused, allowed with a qualifying backup, allowed with -Force), -DryRun, -WhatIf, the
# stops before anything runs (no down section, modified file, missing file), -Count and -To.
# One Local sandbox for the file; scratch databases on it.

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-undo
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-undo-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null
    $script:examples = Join-Path $PSScriptRoot '../../examples/migrations'

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    function New-MigrationFolder([string] $Name, [hashtable] $Files) { TestHelpers\New-MigrationFolder -Root $work -Name $Name -Files $Files }

    # Backups that must not qualify (too old, schema-only, of another database): an OmegaBackup
    # made here with just that property wrong, pointing at a real file. The qualifying backup
    # is a real one from Backup-OmegaDatabase.
    function New-TestBackup {
        param([Parameter(Mandatory)] $Database, [DateTimeOffset] $CreatedAt = [DateTimeOffset]::UtcNow, [switch] $SchemaOnly, [string] $DatabaseName)
        $dump = Join-Path $work "backup-$([guid]::NewGuid().ToString('n')).dump"
        Set-Content -LiteralPath $dump -Value 'stand-in for a pg_dump file'
        [OmegaDb.OmegaBackup]@{
            Database = $(if ($DatabaseName) { $DatabaseName } else { $Database.Database }); Host = $Database.Host; Port = $Database.Port
            Source = "$Database"; Path = $dump; ManifestPath = "$dump.omega.json"; Format = 'Custom'; SchemaOnly = [bool] $SchemaOnly
            SizeBytes = (Get-Item $dump).Length; Sha256 = '0' * 64; CreatedAt = $CreatedAt; Duration = [TimeSpan]::Zero
            ServerVersion = $Database.ServerVersion; PgDumpVersion = '15'; SchemaFingerprint = '0' * 64
        }
    }

    function Get-HistoryVersions($Database) {
        @(Invoke-TestSql $Database 'SELECT version FROM omegadb.migration_history ORDER BY version' | Where-Object { $_ } | ForEach-Object { [long] $_ })
    }

    function Get-Columns($Database, [string] $Table) {
        @(Invoke-TestSql $Database "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '$Table' ORDER BY ordinal_position")
    }

    # The examples' two migrations applied, with data in the columns that 002's down drops.
    function New-ExampleDatabase {
        $db = New-ScratchDatabase
        $db | Invoke-OmegaMigration -Path $examples | Out-Null
        Invoke-TestSql $db "UPDATE user_profiles SET bio = 'about ' || id WHERE id % 4 = 0; UPDATE user_profiles SET preferences = '{""theme"": ""dark""}' WHERE id <= 25" | Out-Null
        $db
    }
}

AfterAll {
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'The data-loss guard on the examples'' 002 migration' {
    BeforeAll {
        $script:db = New-ExampleDatabase
        $script:bios = [long] (Invoke-TestSql $db 'SELECT count(bio) FROM user_profiles')
        $script:prefs = [long] (Invoke-TestSql $db 'SELECT count(preferences) FROM user_profiles')
    }

    It 'reports the loss per column and refuses without a backup; nothing changes' {
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $examples -Confirm:$false }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.UndoWouldLoseData,*'
        $run.Error.CategoryInfo.Category | Should -Be InvalidOperation
        "$($run.Error)" | Should -Match 'Nothing was undone'
        "$($run.Error)" | Should -Match 'Backup-OmegaDatabase'
        "$($run.Error)" | Should -Match '-Force'
        $run.Warnings | Should -Contain "002_user_profile_basic_fields: DROP COLUMN public.user_profiles.bio destroys $($bios.ToString('N0', [cultureinfo]::InvariantCulture)) non-null values"
        $run.Warnings | Should -Contain "002_user_profile_basic_fields: DROP COLUMN public.user_profiles.preferences destroys $prefs non-null values"
        $run.Results | Should -BeNullOrEmpty

        Get-Columns $db user_profiles | Should -Contain bio
        Get-Columns $db user_profiles | Should -Contain preferences
        Get-HistoryVersions $db | Should -Be 1, 2
    }

    It 'says why a backup does not qualify: <Why>' -TestCases @(
        @{ Why = 'older than the migration'; Make = { New-TestBackup $db -CreatedAt ([DateTimeOffset]::UtcNow.AddHours(-1)) }; Pattern = 'before migration 2 \(user_profile_basic_fields\) was applied' }
        @{ Why = 'schema-only'; Make = { New-TestBackup $db -SchemaOnly }; Pattern = 'schema-only' }
        @{ Why = 'another database'; Make = { New-TestBackup $db -DatabaseName someone_else }; Pattern = 'backup of database someone_else' }
    ) {
        $backup = & $Make
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $examples -Backup $backup -Confirm:$false }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.UndoWouldLoseData,*'
        "$($run.Error)" | Should -Match $Pattern
        Get-HistoryVersions $db | Should -Be 1, 2
    }

    It '-DryRun reports the same losses on its results and leaves schema and history as they were' {
        $before = Get-OmegaSchema $db
        $results = @($db | Undo-OmegaMigration -Path $examples -DryRun -WarningAction SilentlyContinue)
        $results.Status | Should -Be DryRun
        $results[0].Version | Should -Be 2
        ($results[0].DataLoss | Where-Object Name -EQ 'public.user_profiles.bio').Count | Should -Be $bios
        ($results[0].DataLoss | Where-Object Name -EQ 'public.user_profiles.preferences').Count | Should -Be $prefs
        ($results[0].Changes | Where-Object { $_.Change -eq 'Removed' -and $_.ObjectType -eq 'Column' }).Name | Should -Contain 'public.user_profiles.bio'
        $results[0].Schema.Tables[0].Columns.Name | Should -Not -Contain bio

        (Get-OmegaSchema $db).Fingerprint | Should -Be $before.Fingerprint
        Get-HistoryVersions $db | Should -Be 1, 2
        [long] (Invoke-TestSql $db 'SELECT count(bio) FROM user_profiles') | Should -Be $bios
    }

    It '-WhatIf changes nothing' {
        $db | Undo-OmegaMigration -Path $examples -Force -WhatIf -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        Get-Columns $db user_profiles | Should -Contain bio
        Get-HistoryVersions $db | Should -Be 1, 2
    }

    It 'undoes with a backup taken after the migration: columns, indexes and the history row go' {
        # A real pg_dump of this database, as a user would take it.
        $backup = $db | Backup-OmegaDatabase -Path $work
        $backup.Database | Should -Be $db.Database
        $results = @($db | Undo-OmegaMigration -Path $examples -Backup $backup -Confirm:$false -WarningAction SilentlyContinue)
        $results.Status | Should -Be Undone
        $results[0].Version | Should -Be 2
        ($results[0].DataLoss | Where-Object Name -EQ 'public.user_profiles.bio').Count | Should -Be $bios
        $results[0].Locks.Mode | Should -Contain AccessExclusiveLock
        Get-Columns $db user_profiles | Should -Not -Contain bio
        Get-Columns $db user_profiles | Should -Not -Contain avatar_url
        Invoke-TestSql $db "SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'idx_user_profiles_%'" | Should -Be 0
        Get-HistoryVersions $db | Should -Be 1
        (Get-OmegaMigration -Path $examples -Database $db).Status | Should -Be Applied, Pending
        # And it can be applied again.
        ($db | Invoke-OmegaMigration -Path $examples).Status | Should -Be Applied
    }

    It 'undoes with -Force and no backup' {
        Invoke-TestSql $db "UPDATE user_profiles SET bio = 'again'" | Out-Null
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $examples -Force -Confirm:$false }
        $run.Error | Should -BeNullOrEmpty
        $run.Results.Status | Should -Be Undone
        $run.Warnings | Should -Contain '002_user_profile_basic_fields: DROP COLUMN public.user_profiles.bio destroys 3,000 non-null values'
        Get-HistoryVersions $db | Should -Be 1
    }

    It 'needs no backup when nothing is lost' {
        $db | Invoke-OmegaMigration -Path $examples | Out-Null
        ($db | Undo-OmegaMigration -Path $examples -Confirm:$false -WarningVariable warned).Status | Should -Be Undone
        $warned | Should -BeNullOrEmpty
    }
}

Describe 'Stops before anything runs' {
    It 'a migration without a down section' {
        $db = New-ScratchDatabase
        $folder = New-MigrationFolder no-down @{
            '001_a.sql' = "-- omega:up`nCREATE TABLE a (id int);`n-- omega:down`nDROP TABLE a;`n"
            '002_b.sql' = "CREATE TABLE b (id int);`n"
        }
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -To 0 -Force -Confirm:$false }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationHasNoDown,*'
        "$($run.Error)" | Should -Match '002_b\.sql'
        "$($run.Error)" | Should -Match 'Nothing was undone'
        Get-HistoryVersions $db | Should -Be 1, 2
        (Invoke-TestSql $db "SELECT to_regclass('public.a') IS NOT NULL") | Should -Be 't'
    }

    It 'a file changed since it was applied, and a file that is gone' {
        $db = New-ScratchDatabase
        $folder = New-MigrationFolder changed @{
            '001_a.sql' = "-- omega:up`nCREATE TABLE a (id int);`n-- omega:down`nDROP TABLE a;`n"
            '002_b.sql' = "-- omega:up`nCREATE TABLE b (id int);`n-- omega:down`nDROP TABLE b;`n"
        }
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        Add-Content -LiteralPath (Join-Path $folder '002_b.sql') -Value 'DROP TABLE a;'
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -Force -Confirm:$false }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationModified,*'
        "$($run.Error)" | Should -Match '002_b\.sql'

        Remove-Item -LiteralPath (Join-Path $folder '002_b.sql')
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -Force -Confirm:$false }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationMissing,*'
        "$($run.Error)" | Should -Match '2 \(b\)'
        Get-HistoryVersions $db | Should -Be 1, 2
        (Invoke-TestSql $db "SELECT to_regclass('public.b') IS NOT NULL") | Should -Be 't'
    }

    It 'a down section that fails: located in its file, nothing undone, not even the newer ones' {
        $db = New-ScratchDatabase
        $folder = New-MigrationFolder failing @{
            '001_a.sql' = "-- omega:up`nCREATE TABLE a (id int);`n-- omega:down`nDROP TABLE a;`nSELECT 1 / 0;`n"
            '002_b.sql' = "-- omega:up`nCREATE TABLE b (id int);`n-- omega:down`nDROP TABLE b;`n"
        }
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -Count 2 -Confirm:$false }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.UndoFailed,*'
        "$($run.Error)" | Should -Match '001_a\.sql:5:1: 22012 division by zero'
        "$($run.Error)" | Should -Match 'nothing was undone'
        Get-HistoryVersions $db | Should -Be 1, 2
        (Invoke-TestSql $db "SELECT to_regclass('public.b') IS NOT NULL") | Should -Be 't'
    }

    It 'a down that fails only in the real undo: the newer ones stay undone, their results are written, nothing of it stays' {
        $db = New-ScratchDatabase
        # nextval is not rolled back, so the down passes in the rehearsal (1) and fails for real (2).
        $folder = New-MigrationFolder real-failure @{
            '001_a.sql' = "-- omega:up`nCREATE SEQUENCE tick;`nCREATE TABLE a (id int);`n-- omega:down`nDROP TABLE a;`nDROP SEQUENCE tick;`n"
            '002_b.sql' = "-- omega:up`nCREATE TABLE b (id int);`n-- omega:down`nDROP TABLE b;`nSELECT 1 / (2 - nextval('tick'));`n"
            '003_c.sql' = "-- omega:up`nCREATE TABLE c (id int);`n-- omega:down`nDROP TABLE c;`n"
        }
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $run = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -Count 2 -Confirm:$false }
        $run.Results.Version | Should -Be 3, 2
        $run.Results.Status | Should -Be Undone, Failed
        $run.Results[1].Error.SqlState | Should -Be 22012
        $run.Results[1].Error.Line | Should -Be 5
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.UndoFailed,*'
        "$($run.Error)" | Should -Match '002_b\.sql:5:\d+: 22012 division by zero'
        "$($run.Error)" | Should -Match 'it is still applied'
        Get-HistoryVersions $db | Should -Be 1, 2
        (Invoke-TestSql $db "SELECT to_regclass('public.b') IS NOT NULL AND to_regclass('public.c') IS NULL") | Should -Be 't'
    }

    It 'transaction control in a down section, for a dry run and a real undo alike' {
        $db = New-ScratchDatabase
        $folder = New-MigrationFolder commit-down @{
            '001_a.sql' = "-- omega:up`nCREATE TABLE a (id int);`n-- omega:down`nDROP TABLE a;`nCOMMIT;`n"
        }
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $dry = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -DryRun }
        $dry.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.DryRunRefused,*'
        "$($dry.Error)" | Should -Match '001_a\.sql:5:1 COMMIT'
        $real = Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -Force -Confirm:$false }
        $real.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.TransactionControlRefused,*'
        (Invoke-TestSql $db "SELECT to_regclass('public.a') IS NOT NULL") | Should -Be 't'
        Get-HistoryVersions $db | Should -Be 1
    }
}

Describe '-Count and -To' {
    BeforeAll {
        $script:folder = New-MigrationFolder chain @{
            '001_one.sql'   = "-- omega:up`nCREATE TABLE one (id int);`n-- omega:down`nDROP TABLE one;`n"
            '002_two.sql'   = "-- omega:up`nCREATE TABLE two (id int);`n-- omega:down`nDROP TABLE two;`n"
            '003_three.sql' = "-- omega:no-transaction`n-- omega:up`nCREATE INDEX CONCURRENTLY two_id ON two (id);`n-- omega:down`nDROP INDEX CONCURRENTLY two_id;`n"
            '004_four.sql'  = "-- omega:up`nCREATE TABLE four (id int);`n-- omega:down`nDROP TABLE four;`n"
        }
    }

    It '-Count 2 undoes the two newest, newest first, a no-transaction one statement by statement' {
        $db = New-ScratchDatabase
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $results = @($db | Undo-OmegaMigration -Path $folder -Count 2 -Confirm:$false -WarningAction SilentlyContinue)
        $results.Version | Should -Be 4, 3
        $results.Status | Should -Be Undone, Undone
        $results[1].Warnings -join "`n" | Should -Match 'outside a transaction'
        Get-HistoryVersions $db | Should -Be 1, 2
        (Invoke-TestSql $db "SELECT to_regclass('public.two_id') IS NULL AND to_regclass('public.four') IS NULL") | Should -Be 't'
    }

    It '-To keeps that version and undoes every newer one; -To completes the versions' {
        $db = New-ScratchDatabase
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $results = @($db | Undo-OmegaMigration -Path $folder -To 1 -Confirm:$false -WarningAction SilentlyContinue)
        $results.Version | Should -Be 4, 3, 2
        Get-HistoryVersions $db | Should -Be 1

        $line = "Undo-OmegaMigration -Path '$folder' -To "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be '1', '2', '3', '4'
    }

    It '-To a version that is not applied, and -Count beyond what is applied, are refused' {
        $db = New-ScratchDatabase
        $db | Invoke-OmegaMigration -Path $folder -To 2 | Out-Null
        (Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -To 3 -Confirm:$false }).Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.InvalidUndoTarget,*'
        (Invoke-Collecting { $db | Undo-OmegaMigration -Path $folder -Count 3 -Confirm:$false }).Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.InvalidUndoTarget,*'
        Get-HistoryVersions $db | Should -Be 1, 2
    }
}

Describe 'On a database marked Production' {
    It 'the down runs with the 5 s lock timeout by default, and the data-loss guard still applies' {
        $db = New-ScratchDatabase
        $folder = New-MigrationFolder production @{
            '001_t.sql' = "-- omega:up`nCREATE TABLE t (id int);`nINSERT INTO t VALUES (1);`n-- omega:down`nDROP TABLE t;`n"
        }
        $db | Invoke-OmegaMigration -Path $folder | Out-Null
        $prod = Connect-OmegaDatabase -ConnectionString $db.GetConnectionUri() -Environment Production -Name undo-prod

        $refused = Invoke-Collecting { $prod | Undo-OmegaMigration -Path $folder -Confirm:$false }
        $refused.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.UndoWouldLoseData,*'

        # Another session holds the table: the rehearsal's DROP gives up after the lock timeout
        # (no retries here, to keep the test short) instead of queueing behind it.
        $saved = $env:PGPASSWORD
        $env:PGPASSWORD = Get-TestPassword $db
        try {
            $holder = Start-Process -FilePath (Get-PsqlPath) -PassThru -NoNewWindow -RedirectStandardOutput (Join-Path $work "holder.out") -RedirectStandardError (Join-Path $work "holder.err") -ArgumentList @(
                '-h', $db.Host, '-p', $db.Port, '-U', $db.User, '-d', $db.Database, '-c', '"BEGIN; LOCK TABLE t IN ACCESS SHARE MODE; SELECT pg_sleep(20);"')
        }
        finally { $env:PGPASSWORD = $saved }
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ((Invoke-TestSql $db "SELECT count(*) FROM pg_locks WHERE relation = 'public.t'::regclass AND granted AND pid <> pg_backend_pid()") -eq '0') {
                if ([DateTime]::UtcNow -gt $deadline) { throw 'the holding session did not take its lock' }
                Start-Sleep -Milliseconds 100
            }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $run = Invoke-Collecting { $prod | Undo-OmegaMigration -Path $folder -Force -RetryCount 0 -Confirm:$false }
            $watch.Stop()
            $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.UndoFailed,*'
            $run.Error.CategoryInfo.Category | Should -Be ResourceBusy
            "$($run.Error)" | Should -Match '55P03'
            $watch.Elapsed.TotalSeconds | Should -BeGreaterThan 4.5
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 15
        }
        finally { if (-not $holder.HasExited) { $holder.Kill() }; $holder.WaitForExit() }
        Get-HistoryVersions $db | Should -Be 1
    }
}

