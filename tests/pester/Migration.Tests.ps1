# Get-OmegaMigration and Invoke-OmegaMigration against a real server: statuses, history,
# failures located in their file, verify sections, no-transaction migrations, locks and
# rewrites, and the cmdlets' output. One Local sandbox for the file; each Describe takes
# scratch databases on it.

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-migration
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-migration-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    function New-MigrationFolder([string] $Name, [hashtable] $Files) { TestHelpers\New-MigrationFolder -Root $work -Name $Name -Files $Files }

    function Get-History($Database) {
        $rows = Invoke-TestSql $Database "SELECT version, name, checksum, applied_by, duration_ms, extract(epoch FROM applied_at) FROM omegadb.migration_history ORDER BY version"
        foreach ($row in @($rows | Where-Object { $_ })) {
            $v = $row -split '\|'
            [pscustomobject]@{ Version = [long]$v[0]; Name = $v[1]; Checksum = $v[2]; AppliedBy = $v[3]; DurationMs = [long]$v[4]
                AppliedAt = [DateTimeOffset]::FromUnixTimeMilliseconds([long]([double]$v[5] * 1000)) }
        }
    }

    function Test-Relation($Database, [string] $Name) {
        (Invoke-TestSql $Database "SELECT to_regclass('$Name') IS NOT NULL") -eq 't'
    }

}

AfterAll {
    # Scratch databases first: dropping them needs the server that $box runs.
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'Get-OmegaMigration statuses and the Modified stop' {
    BeforeAll {
        $script:db = New-ScratchDatabase
        $script:folder = New-MigrationFolder status @{
            '001_accounts.sql' = "CREATE TABLE accounts (id int PRIMARY KEY);`n"
            '002_notes.sql'    = "-- omega:up`nCREATE TABLE notes (id int);`n-- omega:down`nDROP TABLE notes;`n"
            '003_tags.sql'     = "-- omega:up`nCREATE TABLE tags (id int);`n-- omega:verify`nSELECT count(*) = 0 FROM tags;`n"
        }
    }

    It 'lists every file as Pending before anything ran, with and without a database' {
        $files = Get-OmegaMigration -Path $folder
        $files.Version | Should -Be 1, 2, 3
        $files.Status | Should -Be Pending, Pending, Pending
        ($files | Where-Object Version -EQ 2).HasDown | Should -BeTrue
        ($files | Where-Object Version -EQ 3).HasVerify | Should -BeTrue

        $withDb = $db | Get-OmegaMigration -Path $folder
        $withDb.Status | Should -Be Pending, Pending, Pending
        $withDb[0].Database.Database | Should -Be $db.Database
    }

    It 'reports Applied with the history row after -To, and Pending for the rest' {
        $started = [DateTimeOffset]::UtcNow.AddSeconds(-1)
        $results = @($db | Invoke-OmegaMigration -Path $folder -To 2)
        $ended = [DateTimeOffset]::UtcNow.AddSeconds(1)
        $results.Version | Should -Be 1, 2
        $results.Status | Should -Be Applied, Applied

        $status = Get-OmegaMigration -Path $folder -Database $db
        $status.Status | Should -Be Applied, Applied, Pending
        $status[0].AppliedAt | Should -Not -BeNullOrEmpty
        $status[2].AppliedAt | Should -BeNullOrEmpty

        $history = @(Get-History $db)
        $history.Version | Should -Be 1, 2
        $history.Name | Should -Be accounts, notes
        $history[0].Checksum | Should -Be $status[0].Checksum
        $history[1].Checksum | Should -Be $status[1].Checksum
        $history.AppliedBy | Should -Be $db.User, $db.User
        foreach ($h in $history) {
            $h.AppliedAt | Should -BeGreaterThan $started
            $h.AppliedAt | Should -BeLessThan $ended
            $h.DurationMs | Should -BeGreaterOrEqual 0
        }
        Test-Relation $db 'public.tags' | Should -BeFalse
        (Get-OmegaMigration -Path $folder -Database $db -Status Pending).Version | Should -Be 3
    }

    It 'reports Modified when an applied file changed, and a run then stops before doing anything' {
        $file = Join-Path $folder '002_notes.sql'
        $original = Get-Content -LiteralPath $file -Raw
        try {
            Add-Content -LiteralPath $file -Value '-- an edit after the fact'
            $status = Get-OmegaMigration -Path $folder -Database $db
            $modified = $status | Where-Object Version -EQ 2
            $modified.Status | Should -Be Modified
            $modified.AppliedChecksum | Should -Not -Be $modified.Checksum

            $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder }
            $run.Error | Should -Not -BeNullOrEmpty
            $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationModified,*'
            "$($run.Error)" | Should -Match '002_notes\.sql'
            "$($run.Error)" | Should -Match 'Nothing was run'
            $run.Results | Should -BeNullOrEmpty
            # Migration 3 was pending: it must not have run.
            Test-Relation $db 'public.tags' | Should -BeFalse
            @(Get-History $db).Count | Should -Be 2
        }
        finally { Set-Content -LiteralPath $file -Value $original -NoNewline }
    }

    It 'reports Missing when an applied file is gone, and a run warns about it and goes on' {
        $file = Join-Path $folder '001_accounts.sql'
        $original = Get-Content -LiteralPath $file -Raw
        try {
            Remove-Item -LiteralPath $file
            $status = Get-OmegaMigration -Path $folder -Database $db
            $status.Version | Should -Be 1, 2, 3
            $status.Status | Should -Be Missing, Applied, Pending
            $status[0].Name | Should -Be accounts
            $status[0].Path | Should -BeNullOrEmpty

            $results = @($db | Invoke-OmegaMigration -Path $folder -WarningVariable warned -WarningAction SilentlyContinue)
            $results.Version | Should -Be 3
            $results[0].Verify | Should -Be Passed
            ($warned -join "`n") | Should -Match 'Migration 1 \(accounts\).*not in the folder'
        }
        finally { Set-Content -LiteralPath $file -Value $original -NoNewline }
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Applied, Applied, Applied
        # Up to date: nothing to do, nothing written.
        @($db | Invoke-OmegaMigration -Path $folder) | Should -BeNullOrEmpty
    }
}

Describe 'A history table of another name' {
    It 'creates it in its own schema on first use, and reads statuses from it' {
        $db = New-ScratchDatabase
        $folder = New-MigrationFolder custom-history @{ '001_one.sql' = "CREATE TABLE one (id int);`n" }
        $results = @($db | Invoke-OmegaMigration -Path $folder -HistoryTable audit.schema_changes)
        $results.Status | Should -Be Applied
        # Its own schema is not part of the schema the migration changed.
        $results[0].Schema.Schemas | Should -Contain public
        $results[0].Schema.Schemas | Should -Not -Contain audit
        (Invoke-TestSql $db 'SELECT version, name FROM audit.schema_changes') | Should -Be '1|one'
        (Invoke-TestSql $db "SELECT count(*) FROM pg_namespace WHERE nspname = 'omegadb'") | Should -Be 0
        (Get-OmegaMigration -Path $folder -Database $db -HistoryTable audit.schema_changes).Status | Should -Be Applied
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Pending

        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder -HistoryTable 'audit.x; DROP TABLE one' }
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.InvalidHistoryTable,*'
        Test-Relation $db 'public.one' | Should -BeTrue
    }
}

Describe 'Broken migration folders are errors that name the file' {
    BeforeAll { $script:db = New-ScratchDatabase }

    It 'refuses <Case> in Get-OmegaMigration and Invoke-OmegaMigration, before touching the database' -ForEach @(
        @{ Case = 'duplicate versions'; Files = @{ '001_a.sql' = 'SELECT 1;'; '1_b.sql' = 'SELECT 2;' }; Id = 'OmegaDb.DuplicateMigrationVersion'; Pattern = "'001_a\.sql', '1_b\.sql'.*same version" }
        @{ Case = 'an unknown directive'; Files = @{ '001_a.sql' = "-- omega:up`nSELECT 1;`n-- omega:verfy`nSELECT true;" }; Id = 'OmegaDb.InvalidMigrationFile'; Pattern = '001_a\.sql.*omega:verfy.*omega:verify' }
        @{ Case = 'an empty section'; Files = @{ '002_empty.sql' = "-- omega:up`n-- omega:down`nSELECT 1;" }; Id = 'OmegaDb.InvalidMigrationFile'; Pattern = '002_empty\.sql' }
        @{ Case = 'an empty verify section'; Files = @{ '003_v.sql' = "-- omega:up`nSELECT 1;`n-- omega:verify`n-- nothing here`n" }; Id = 'OmegaDb.InvalidMigrationFile'; Pattern = '003_v\.sql' }
    ) {
        $folder = New-MigrationFolder ("broken-" + ($Case -replace '\W', '')) $Files
        $listed = Invoke-Collecting { Get-OmegaMigration -Path $folder }
        $listed.Results | Should -BeNullOrEmpty
        $listed.Error.FullyQualifiedErrorId | Should -BeLike "$Id,*"
        "$($listed.Error)" | Should -Match $Pattern

        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder }
        $run.Error.FullyQualifiedErrorId | Should -BeLike "$Id*"
        "$($run.Error)" | Should -Match $Pattern
        (Invoke-TestSql $db "SELECT count(*) FROM pg_namespace WHERE nspname = 'omegadb'") | Should -Be 0
    }
}

Describe 'A failing migration: located, rolled back, later ones not run, a terminating error' {
    BeforeAll {
        $script:db = New-ScratchDatabase
        $script:folder = New-MigrationFolder failing @{
            '001_first.sql'  = "CREATE TABLE first_table (id int);`n"
            '002_second.sql' = "-- omega:up`nCREATE TABLE second_table (id int);`nINSERT INTO second_table VALUES (1);`n"
            # The failing statement sits in the middle of the file, after a multi-line comment.
            '003_broken.sql' = @'
-- omega:up
CREATE TABLE broken_table (id int);
INSERT INTO broken_table VALUES (1), (2);

/* a comment
   over two lines */
INSERT INTO broken_table (id)
    SELECT round_up(id) FROM broken_table;
CREATE TABLE after_broken (id int);
-- omega:verify
SELECT count(*) > 0 FROM broken_table;
'@
            '004_later.sql'  = "CREATE TABLE later_table (id int);`n"
        }
    }

    It 'writes the results before the failure, then a terminating error with SQLSTATE, file, line, column and hint' {
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder }
        $run.Results.Version | Should -Be 1, 2, 3
        $run.Results.Status | Should -Be Applied, Applied, Failed

        $failed = $run.Results[2]
        $failed.Error.SqlState | Should -Be '42883'
        $failed.Error.Message | Should -Match 'round_up\(integer\) does not exist'
        $failed.Error.File | Should -Be (Join-Path $folder '003_broken.sql')
        $failed.Error.Line | Should -Be 8
        $failed.Error.Column | Should -Be 12
        $failed.Error.Hint | Should -Match 'explicit type casts'
        $failed.Error.Statement | Should -Match '^INSERT INTO broken_table'
        $failed.Verify | Should -Be NotRun

        $run.Error | Should -Not -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
        $run.Error.CategoryInfo.Category | Should -Be InvalidOperation
        $run.Error.TargetObject.Version | Should -Be 3
        $message = "$($run.Error)"
        $message | Should -Match '003_broken\.sql:8:12'
        $message | Should -Match '42883'
        $message | Should -Match 'Hint: .*explicit type casts'
        $message | Should -Match 'Later migrations did not run'
        $message | Should -Not -Match '   at OmegaDb\.'
    }

    It 'keeps nothing of the failed migration, runs nothing after it, and keeps what ran before' {
        Test-Relation $db 'public.first_table' | Should -BeTrue
        Test-Relation $db 'public.second_table' | Should -BeTrue
        Test-Relation $db 'public.broken_table' | Should -BeFalse
        Test-Relation $db 'public.after_broken' | Should -BeFalse
        Test-Relation $db 'public.later_table' | Should -BeFalse
        (Get-History $db).Version | Should -Be 1, 2
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Applied, Applied, Pending, Pending
    }

    It 'stops a script under $ErrorActionPreference = Stop, and try/catch catches it' {
        $script:reached = $false
        $caught = $null
        try {
            & {
                $ErrorActionPreference = 'Stop'
                $db | Invoke-OmegaMigration -Path $folder | Out-Null
                $script:reached = $true
            }
        }
        catch { $caught = $_ }
        $script:reached | Should -BeFalse
        $caught.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'

        # In a child process, the way a runbook runs: the line after the migration never runs.
        $env:OMEGA_TEST_URI = $db.GetConnectionUri()
        try {
            $output = Invoke-ChildPwsh -AllowFailure -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:OMEGADB_MODULE_PATH'
Invoke-OmegaMigration -Database `$env:OMEGA_TEST_URI -Path '$folder' | Out-Null
'AFTER THE MIGRATION'
"@
        }
        finally { Remove-Item env:OMEGA_TEST_URI }
        $output | Should -Not -Match 'AFTER THE MIGRATION'
        $output | Should -Match '003_broken\.sql:8:12'
        $output | Should -Not -Match ([regex]::Escape((Get-TestPassword $db)))
    }

    It 'applies the fixed migration and the later one on the next run' {
        $file = Join-Path $folder '003_broken.sql'
        (Get-Content -LiteralPath $file -Raw) -replace 'round_up\(id\)', 'id + 10' | Set-Content -LiteralPath $file -NoNewline
        $results = @($db | Invoke-OmegaMigration -Path $folder)
        $results.Version | Should -Be 3, 4
        $results.Status | Should -Be Applied, Applied
        $results[0].Verify | Should -Be Passed
        (Invoke-TestSql $db 'SELECT count(*) FROM broken_table') | Should -Be 4
        (Get-History $db).Version | Should -Be 1, 2, 3, 4
    }
}

Describe 'Statements that would break the migration''s own transaction' {
    BeforeAll { $script:db = New-ScratchDatabase "CREATE TABLE t (id int); INSERT INTO t VALUES (1);" }

    It 'refuses COMMIT in a transactional migration, and in any verify section, before anything runs' {
        $folder = New-MigrationFolder commit-in-real-run @{
            '001_fine.sql'   = "CREATE TABLE fine (id int);`n"
            '002_commit.sql' = "CREATE TABLE kept_half (id int);`nCOMMIT;`nSELECT 1 / 0;`n"
            '003_verify.sql' = "-- omega:no-transaction`n-- omega:up`nCREATE INDEX CONCURRENTLY t_id ON t (id);`n-- omega:verify`nSELECT true;`nend;`n"
        }
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder }
        $run.Results | Should -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.TransactionControlRefused,*'
        "$($run.Error)" | Should -Match '002_commit\.sql:2:1 COMMIT'
        "$($run.Error)" | Should -Match '003_verify\.sql:6:1 end'
        "$($run.Error)" | Should -Match 'Nothing was run'
        Test-Relation $db 'public.fine' | Should -BeFalse
        Test-Relation $db 'public.kept_half' | Should -BeFalse
        Test-Relation $db 'public.t_id' | Should -BeFalse
    }

    It 'runs a BEGIN ATOMIC function body, whose semicolons are not statement ends' {
        $folder = New-MigrationFolder begin-atomic @{
            '001_function.sql' = "CREATE FUNCTION add_one(a int) RETURNS int LANGUAGE sql`nBEGIN ATOMIC`n  SELECT a + 1;`nEND;`nSELECT add_one(1);`n"
        }
        $results = @($db | Invoke-OmegaMigration -Path $folder)
        $results.Status | Should -Be Applied
        (Invoke-TestSql $db 'SELECT add_one(41)') | Should -Be 42
    }

    It 'reports a migration that breaks its own bookkeeping as failed, keeping the results before it' {
        $folder = New-MigrationFolder breaks-history @{
            '001_fine.sql'      = "CREATE TABLE before_break (id int);`n"
            '002_read_only.sql' = "CREATE TABLE read_only_half (id int);`nSET TRANSACTION READ ONLY;`n"
        }
        $db = New-ScratchDatabase
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder }
        $run.Results.Version | Should -Be 1, 2
        $run.Results.Status | Should -Be Applied, Failed
        $run.Results[1].Error.SqlState | Should -Be '25006'
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
        "$($run.Error)" | Should -Match 'Migration 2 \(read_only\) failed .* in 002_read_only\.sql'
        Test-Relation $db 'public.before_break' | Should -BeTrue
        Test-Relation $db 'public.read_only_half' | Should -BeFalse
    }
}

Describe 'Verify sections decide whether a migration stays' {
    BeforeAll { $script:db = New-ScratchDatabase }

    It 'rolls the migration back when the verify section <Case>' -ForEach @(
        @{ Case = 'returns false'; Verify = 'SELECT count(*) = 5 FROM checked;'; Pattern = 'false' }
        @{ Case = 'returns zero'; Verify = 'SELECT count(*) - 1 FROM checked;'; Pattern = 'is 0' }
        @{ Case = 'returns NULL'; Verify = 'SELECT NULL::boolean;'; Pattern = 'NULL' }
        @{ Case = 'returns text'; Verify = "SELECT 'yes';"; Pattern = "'yes'" }
        @{ Case = 'fails in its second statement'; Verify = "SELECT true;`nSELECT 1 / 0;"; Pattern = '001_checked\.sql:6:1: 22012 division by zero' }
        @{ Case = 'has a false value in a later row'; Verify = 'SELECT id < 1 FROM (VALUES (0), (1)) v(id);'; Pattern = 'row 2' }
    ) {
        $folder = New-MigrationFolder ("verify-" + ($Case -replace '\W', '')) @{
            '001_checked.sql' = "-- omega:up`nCREATE TABLE checked (id int);`nINSERT INTO checked VALUES (1);`n-- omega:verify`n$Verify`n"
        }
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder }
        $run.Results.Count | Should -Be 1
        $run.Results[0].Status | Should -Be Failed
        $run.Results[0].Verify | Should -Be Failed
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
        "$($run.Error)" | Should -Match $Pattern
        "$($run.Error)" | Should -Match '001_checked\.sql'
        Test-Relation $db 'public.checked' | Should -BeFalse
        (Invoke-TestSql $db "SELECT count(*) FROM omegadb.migration_history") | Should -Be 0
    }

    It 'keeps the migration when every value of every verify statement is true or non-zero' {
        $folder = New-MigrationFolder verify-pass @{
            '001_checked.sql' = "-- omega:up`nCREATE TABLE checked (id int);`nINSERT INTO checked VALUES (1), (2);`n-- omega:verify`nSELECT true, 1, 2.5, count(*) FROM checked;`nSELECT id FROM checked;`n"
        }
        $results = @($db | Invoke-OmegaMigration -Path $folder)
        $results[0].Status | Should -Be Applied
        $results[0].Verify | Should -Be Passed
        Test-Relation $db 'public.checked' | Should -BeTrue
    }
}

Describe 'No-transaction migrations and INVALID indexes' {
    BeforeAll {
        $script:db = New-ScratchDatabase @'
CREATE TABLE items (id int PRIMARY KEY, code text);
INSERT INTO items SELECT g, 'code-' || (g % 50) FROM generate_series(1, 200) g;
'@
        $script:folder = New-MigrationFolder notx @{
            '001_index.sql' = "-- omega:no-transaction`n-- omega:up`nCREATE INDEX CONCURRENTLY idx_items_code ON items (code);`n-- omega:verify`nSELECT count(*) = 1 FROM pg_indexes WHERE indexname = 'idx_items_code';`n"
        }
    }

    It 'runs CREATE INDEX CONCURRENTLY in a no-transaction migration' {
        (Get-OmegaMigration -Path $folder).Transactional | Should -BeFalse
        $results = @($db | Invoke-OmegaMigration -Path $folder -WarningAction SilentlyContinue)
        $results[0].Status | Should -Be Applied
        $results[0].Verify | Should -Be Passed
        (Invoke-TestSql $db "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_items_code'::regclass") | Should -Be 't'
        (Get-History $db).Version | Should -Be 1
    }

    It 'fails a CREATE UNIQUE INDEX CONCURRENTLY on duplicate data, which leaves an INVALID index behind' {
        Set-Content -LiteralPath (Join-Path $folder '002_unique.sql') -Value "-- omega:no-transaction`nCREATE UNIQUE INDEX CONCURRENTLY idx_items_code_unique ON items (code);`n"
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder -WarningAction SilentlyContinue }
        $run.Results.Status | Should -Be Failed
        $run.Results[0].Error.SqlState | Should -Be '23505'
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.MigrationFailed,*'
        (Invoke-TestSql $db "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_items_code_unique'::regclass") | Should -Be 'f'
        (Get-History $db).Version | Should -Be 1
    }

    It 'refuses to run CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS over the INVALID index (OmegaDb.InvalidIndex)' {
        Set-Content -LiteralPath (Join-Path $folder '002_unique.sql') -Value "-- omega:no-transaction`nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_items_code_unique ON items (code);`n"
        $run = Invoke-Collecting { $db | Invoke-OmegaMigration -Path $folder -WarningAction SilentlyContinue }
        $run.Results | Should -BeNullOrEmpty
        $run.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.InvalidIndex,*'
        "$($run.Error)" | Should -Match 'idx_items_code_unique'
        "$($run.Error)" | Should -Match 'INVALID'
        "$($run.Error)" | Should -Match 'DROP INDEX CONCURRENTLY public\.idx_items_code_unique'
        (Get-History $db).Version | Should -Be 1
        (Invoke-TestSql $db "SELECT indisvalid FROM pg_index WHERE indexrelid = 'idx_items_code_unique'::regclass") | Should -Be 'f'
    }

    It 'applies it once the INVALID index is dropped and the duplicates are gone' {
        Invoke-TestSql $db "DROP INDEX idx_items_code_unique; DELETE FROM items WHERE id > 50;" | Out-Null
        $results = @($db | Invoke-OmegaMigration -Path $folder -WarningAction SilentlyContinue)
        $results.Status | Should -Be Applied
        (Invoke-TestSql $db "SELECT indisvalid AND indisunique FROM pg_index WHERE indexrelid = 'idx_items_code_unique'::regclass") | Should -Be 't'
        (Get-History $db).Version | Should -Be 1, 2
    }
}

Describe 'Locks and rewrites measured inside the migration''s transaction' {
    BeforeAll {
        $script:db = New-ScratchDatabase @'
CREATE TABLE t (id int PRIMARY KEY, c int NOT NULL);
INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g;
'@
        $script:folder = New-MigrationFolder locks @{
            '001_widen.sql'  = "ALTER TABLE t ALTER COLUMN c TYPE bigint;`n"
            '002_addcol.sql' = "ALTER TABLE t ADD COLUMN x text;`n"
        }
    }

    It 'reports a rewrite and an AccessExclusiveLock for int to bigint, and no rewrite for ADD COLUMN x text, in a <Mode>' -ForEach @(
        @{ Mode = 'dry run'; DryRun = $true }
        @{ Mode = 'real run'; DryRun = $false }
    ) {
        $results = @($db | Invoke-OmegaMigration -Path $folder -DryRun:$DryRun)
        $results.Count | Should -Be 2
        $widen, $add = $results

        $widen.RewrittenTables | Should -Contain 'public.t'
        $widen.Locks | Where-Object { $_.Relation -eq 'public.t' -and $_.Mode -eq 'AccessExclusiveLock' } | Should -Not -BeNullOrEmpty
        ($widen.Locks | Where-Object Relation -EQ 'public.t' | Select-Object -First 1).RelationKind | Should -Be Table

        $add.RewrittenTables | Should -Not -Contain 'public.t'
        $add.RewrittenTables | Should -BeNullOrEmpty
        if (-not $DryRun) {
            # In a dry run every migration shares one transaction, so a lock the first one
            # took is not seen again in the second; in a real run each has its own.
            $add.Locks | Where-Object { $_.Relation -eq 'public.t' -and $_.Mode -eq 'AccessExclusiveLock' } | Should -Not -BeNullOrEmpty
        }
        $add.Changes | Where-Object { $_.Name -eq 'public.t.x' -and $_.Change -eq 'Added' } | Should -Not -BeNullOrEmpty
        # The schema after each migration: c is bigint after the first, x exists after the second.
        ($widen.Schema.Tables | Where-Object Name -EQ t).Columns | Where-Object Name -EQ c | ForEach-Object { $_.Type | Should -Be bigint }
        ($add.Schema.Tables | Where-Object Name -EQ t).Columns.Name | Should -Contain x
    }
}

Describe 'Output and user experience' {
    BeforeAll {
        $script:db = New-ScratchDatabase "CREATE TABLE base (id int);"
        $script:folder = New-MigrationFolder ux @{
            '001_one.sql'   = "CREATE TABLE one (id int);`n"
            '002_two.sql'   = "-- omega:up`nALTER TABLE one ADD COLUMN name text;`n-- omega:verify`nSELECT count(*) = 0 FROM one;`n"
            '010_three.sql' = "CREATE INDEX one_name ON one (name);`n"
        }
    }

    It 'runs nothing with -WhatIf' {
        $before = (Get-OmegaSchema $db).Fingerprint
        $db | Invoke-OmegaMigration -Path $folder -WhatIf | Should -BeNullOrEmpty
        (Get-OmegaSchema $db).Fingerprint | Should -Be $before
        (Invoke-TestSql $db "SELECT count(*) FROM pg_namespace WHERE nspname = 'omegadb'") | Should -Be 0
        (Get-OmegaMigration -Path $folder -Database $db).Status | Should -Be Pending, Pending, Pending
    }

    It 'returns results with Schema and Changes that format as a table and serialise without a password' {
        $results = @($db | Invoke-OmegaMigration -Path $folder)
        $results | ForEach-Object { $_ | Should -BeOfType ([OmegaDb.OmegaMigrationResult]) }
        $results.Version | Should -Be 1, 2, 10
        $results[0].Schema | Should -BeOfType ([OmegaDb.OmegaSchema])
        $results[0].Schema.Tables.Name | Should -Contain one
        $results[0].Changes | Where-Object { $_.ObjectType -eq 'Table' -and $_.Change -eq 'Added' } | Should -Not -BeNullOrEmpty
        $results[2].Schema.Fingerprint | Should -Be (Get-OmegaSchema $db).Fingerprint

        $table = $results | Out-String
        $table | Should -Match 'Version'
        $table | Should -Match 'Applied'
        $table | Should -Match 'three'
        { $results | Format-List | Out-String } | Should -Not -Throw
        $migrations = Get-OmegaMigration -Path $folder -Database $db | Out-String
        $migrations | Should -Match 'Applied'

        $password = Get-TestPassword $db
        $json = $results[1] | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
        $json | Should -Not -BeNullOrEmpty
        $json | Should -Not -Match ([regex]::Escape($password))
        ($json | ConvertFrom-Json).Version | Should -Be 2
        Get-OmegaMigration -Path $folder -Database $db | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue | Should -Not -Match ([regex]::Escape($password))
    }

    It 'has examples in its help' {
        $help = Get-Help Invoke-OmegaMigration -Examples
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        ($help | Out-String) | Should -Match 'Invoke-OmegaMigration'
        ($help | Out-String) | Should -Match '-DryRun'
    }

    It 'completes -To with the versions in the folder' {
        $line = "Invoke-OmegaMigration -Path '$folder' -To "
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $completions.CompletionText | Should -Be '1', '2', '10'
        $completions[2].ListItemText | Should -Match 'three'

        $line = "Invoke-OmegaMigration -Path '$folder' -To 1"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be '1', '10'
    }
}
