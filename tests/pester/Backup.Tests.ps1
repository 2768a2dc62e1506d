# Backup-OmegaDatabase, Get-OmegaBackup, Test-OmegaBackup and Restore-OmegaDatabase as users
# call them, against a real server: round trips with data, damaged and changed dumps, the
# no-overwrite and no-half-file rules, -WhatIf, the production refusal, and the password
# staying off pg_dump's command line. One Local sandbox for the file; scratch databases on it.

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-backup
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-backup-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    function New-WorkFolder([string] $Name) {
        $folder = Join-Path $work $Name
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $folder
    }

    $script:seed = @'
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, created timestamptz DEFAULT now());
CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), total numeric(10,2) CHECK (total >= 0));
CREATE INDEX orders_customer ON orders (customer_id);
CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;
CREATE TYPE mood AS ENUM ('happy', 'sad');
CREATE TABLE empty_table (m mood);
INSERT INTO customers SELECT g, 'c' || g || '@example.com' FROM generate_series(1, 2000) g;
INSERT INTO orders (customer_id, total) SELECT 1 + g % 2000, g % 300 FROM generate_series(1, 5000) g;
'@

    function Get-RowCount($Database, [string] $Table) { [long] (Invoke-TestSql $Database "SELECT count(*) FROM $Table") }

    # pg_dump processes whose libpq environment points at $DatabaseName: other sessions' dumps are not ours.
    function Find-PgDump([string] $DatabaseName) {
        foreach ($dir in Get-ChildItem /proc -Directory -ErrorAction Ignore | Where-Object Name -Match '^\d+$') {
            $comm = Get-Content -LiteralPath "$($dir.FullName)/comm" -ErrorAction Ignore
            if ($comm -ne 'pg_dump') { continue }
            try {
                $environ = [IO.File]::ReadAllText("$($dir.FullName)/environ") -split "`0"
                $cmdline = [IO.File]::ReadAllText("$($dir.FullName)/cmdline") -split "`0"
            }
            catch { continue }
            if ($environ -contains "PGDATABASE=$DatabaseName") {
                [pscustomobject]@{ Id = [int] $dir.Name; CommandLine = $cmdline; Environment = $environ }
            }
        }
    }

    function Wait-PgDump([string] $DatabaseName, [int] $Seconds = 60) {
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            $found = @(Find-PgDump $DatabaseName)
            if ($found) { return $found[0] }
            Start-Sleep -Milliseconds 5
        }
        throw "no pg_dump for $DatabaseName appeared within $Seconds s"
    }
}

AfterAll {
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'A backup with data, read back, tested and restored' {
    BeforeAll {
        $script:db = New-ScratchDatabase $seed
        $script:folder = New-WorkFolder roundtrip
        $script:backup = $db | Backup-OmegaDatabase -Path $folder
    }

    It 'writes <database>-<stamp>.dump and its manifest, and emits an OmegaBackup describing them' {
        $backup | Should -BeOfType OmegaDb.OmegaBackup
        Split-Path -Leaf $backup.Path | Should -Match "^$([regex]::Escape($db.Database))-\d{8}-\d{6}\.dump$"
        $backup.ManifestPath | Should -Be "$($backup.Path).omega.json"
        Test-Path -LiteralPath $backup.Path | Should -BeTrue
        Test-Path -LiteralPath $backup.ManifestPath | Should -BeTrue
        @(Get-ChildItem -Force $folder).Name | Sort-Object | Should -Be (@((Split-Path -Leaf $backup.Path), (Split-Path -Leaf $backup.ManifestPath)) | Sort-Object)

        $backup.Format | Should -Be Custom
        $backup.SchemaOnly | Should -BeFalse
        $backup.SizeBytes | Should -Be (Get-Item $backup.Path).Length
        $backup.Sha256 | Should -Be (Get-FileHash -Algorithm SHA256 $backup.Path).Hash.ToLowerInvariant()
        $backup.SchemaFingerprint | Should -Be (Get-OmegaSchema $db).Fingerprint
        $backup.RowCounts['public.customers'] | Should -Be 2000
        $backup.RowCounts['public.orders'] | Should -Be 5000
        $backup.RowCounts['public.empty_table'] | Should -Be 0
        $backup.ServerVersion | Should -Match '^\d+\.\d+'
        $backup.PgDumpVersion | Should -Match '^\d+\.\d+'
        $backup.Database | Should -Be $db.Database
        (Get-Item $backup.Path).UnixMode | Should -Be '-rw-------'
    }

    It 'keeps the password out of the manifest and the object' {
        $password = Get-TestPassword $db
        Get-Content -Raw $backup.ManifestPath | Should -Not -Match ([regex]::Escape($password))
        $backup | ConvertTo-Json -Depth 6 | Should -Not -Match ([regex]::Escape($password))
        $backup.Source | Should -Match '\*\*\*\*'
    }

    It 'reads the same backup back with Get-OmegaBackup, from the manifest, the dump or the folder' {
        foreach ($path in $backup.ManifestPath, $backup.Path, $folder) {
            $read = @(Get-OmegaBackup $path)
            $read.Count | Should -Be 1
            $read[0].Path | Should -Be $backup.Path
            $read[0].Sha256 | Should -Be $backup.Sha256
            $read[0].SchemaFingerprint | Should -Be $backup.SchemaFingerprint
            $read[0].RowCounts['public.orders'] | Should -Be 5000
            $read[0].CreatedAt | Should -Be $backup.CreatedAt
        }
    }

    It 'passes every check of Test-OmegaBackup, and -Quiet says $true' {
        $results = @($backup | Test-OmegaBackup)
        $results.Check | Should -Be Checksum, Restore, SchemaFingerprint, RowCounts
        $results | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Check): $($_.Message)" } | Should -BeNullOrEmpty
        $results[0] | Should -BeOfType OmegaDb.OmegaBackupTestResult
        ($results | Where-Object Check -EQ SchemaFingerprint).Actual | Should -Be $backup.SchemaFingerprint
        $backup | Test-OmegaBackup -Quiet | Should -BeExactly $true
        @(Get-OmegaSandbox | Where-Object Name -EQ backup-test) | Should -BeNullOrEmpty
    }

    It 'restores into another database with the same schema and rows' {
        $target = New-ScratchDatabase
        $backup | Restore-OmegaDatabase -Database $target -Confirm:$false
        (Get-OmegaSchema $target).Fingerprint | Should -Be $backup.SchemaFingerprint
        Get-RowCount $target customers | Should -Be 2000
        Get-RowCount $target orders | Should -Be 5000
    }

    It 'restores over existing objects with -Clean, and refuses without it' {
        $target = New-ScratchDatabase
        $backup | Restore-OmegaDatabase -Database $target -Confirm:$false
        Invoke-TestSql $target 'DELETE FROM orders WHERE id > 10' | Out-Null
        { $backup | Restore-OmegaDatabase -Database $target -Confirm:$false } | Should -Throw -ErrorId 'OmegaDb.RestoreFailed,OmegaDb.Commands.RestoreOmegaDatabaseCommand'
        Get-RowCount $target orders | Should -Be 10
        $backup | Restore-OmegaDatabase -Database $target -Clean -Confirm:$false
        Get-RowCount $target orders | Should -Be 5000
    }

    It 'round-trips Plain and parallel Directory dumps too' {
        $plain = $db | Backup-OmegaDatabase -Path $folder -Format Plain
        Split-Path -Leaf $plain.Path | Should -Match '\.sql$'
        Get-Content -Raw $plain.Path | Should -Match 'PostgreSQL database dump'
        $directory = $db | Backup-OmegaDatabase -Path (Join-Path $folder 'nightly.dir') -Format Directory -Jobs 2
        Test-Path -LiteralPath (Join-Path $directory.Path 'toc.dat') | Should -BeTrue
        foreach ($b in $plain, $directory) {
            $b.SchemaFingerprint | Should -Be $backup.SchemaFingerprint
            $b | Test-OmegaBackup -Quiet | Should -BeExactly $true
            $target = New-ScratchDatabase
            $b | Restore-OmegaDatabase -Database $target -Confirm:$false
            Get-RowCount $target orders | Should -Be 5000
        }
        @(Get-OmegaBackup $folder).Count | Should -Be 3
        $all = @(Get-OmegaBackup $folder)
        $all[0].CreatedAt | Should -BeGreaterOrEqual $all[1].CreatedAt
        $all[1].CreatedAt | Should -BeGreaterOrEqual $all[2].CreatedAt
    }

    It 'backs up the schema only with -SchemaOnly, which restores empty tables' {
        $schemaOnly = $db | Backup-OmegaDatabase -Path (Join-Path $folder 'schema-only.dump') -SchemaOnly
        $schemaOnly.SchemaOnly | Should -BeTrue
        $schemaOnly.RowCounts.Count | Should -Be 0
        $schemaOnly.SchemaFingerprint | Should -Be $backup.SchemaFingerprint
        $results = @($schemaOnly | Test-OmegaBackup)
        $results.Passed | Should -Be $true, $true, $true, $true
    }
}

Describe 'A Plain dump whose objects belong to other roles' {
    It 'records the roles it names, and test-restores by creating them in its own sandbox' {
        $db = New-ScratchDatabase @'
CREATE ROLE backup_app_owner NOLOGIN;
CREATE ROLE backup_app_reader NOLOGIN;
CREATE TABLE owned (id int PRIMARY KEY);
ALTER TABLE owned OWNER TO backup_app_owner;
GRANT SELECT ON owned TO backup_app_reader;
INSERT INTO owned SELECT generate_series(1, 7);
'@
        $b = $db | Backup-OmegaDatabase -Path (New-WorkFolder plain-roles) -Format Plain
        Get-Content -Raw $b.Path | Should -Match 'OWNER TO backup_app_owner'
        $b.Roles | Should -Contain 'backup_app_owner'
        $b.Roles | Should -Contain 'backup_app_reader'
        (Get-OmegaBackup $b.ManifestPath).Roles | Should -Be $b.Roles
        $results = @($b | Test-OmegaBackup)
        $results | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Check): $($_.Message)" } | Should -BeNullOrEmpty
    }
}

Describe 'Damaged and changed dumps' {
    BeforeAll {
        $script:db = New-ScratchDatabase $seed
        $script:folder = New-WorkFolder damaged
    }

    It 'fails the Restore check for a dump truncated at 60%, which pg_restore --list still accepts' {
        $b = $db | Backup-OmegaDatabase -Path (Join-Path $folder 'truncated.dump')
        $bytes = [IO.File]::ReadAllBytes($b.Path)
        [IO.File]::WriteAllBytes($b.Path, $bytes[0..([int]($bytes.Length * 0.6))])
        # A dump cut short before it was hashed: the manifest agrees with the damaged file.
        $manifest = Get-Content -Raw $b.ManifestPath | ConvertFrom-Json
        $manifest.sha256 = (Get-FileHash -Algorithm SHA256 $b.Path).Hash.ToLowerInvariant()
        $manifest.sizeBytes = (Get-Item $b.Path).Length
        $manifest | ConvertTo-Json -Depth 5 | Set-Content $b.ManifestPath

        $pgRestore = Join-Path (Split-Path (Get-PsqlPath)) 'pg_restore'
        & $pgRestore --list $b.Path | Out-Null
        $LASTEXITCODE | Should -Be 0

        $results = @(Get-OmegaBackup $b.ManifestPath | Test-OmegaBackup)
        $results.Check | Should -Be Checksum, Restore, SchemaFingerprint, RowCounts
        $results.Passed | Should -Be $true, $false, $false, $false
        $results[1].Message | Should -Match 'failed'
        $results[2].Message | Should -Match '^Not run'
        Get-OmegaBackup $b.ManifestPath | Test-OmegaBackup -Quiet | Should -BeExactly $false
    }

    It 'fails the Checksum check for a dump changed after the backup, and Restore-OmegaDatabase refuses it' {
        $b = $db | Backup-OmegaDatabase -Path (Join-Path $folder 'changed.dump')
        $stream = [IO.File]::Open($b.Path, 'Open', 'ReadWrite')
        try { $stream.Position = $stream.Length - 100; $stream.WriteByte(0x5A) } finally { $stream.Dispose() }

        $results = @($b | Test-OmegaBackup)
        $results[0].Check | Should -Be Checksum
        $results[0].Passed | Should -BeFalse
        $results[0].Expected | Should -Be $b.Sha256
        $results[0].Actual | Should -Not -Be $b.Sha256
        @($results | Where-Object Passed).Count | Should -Be 0

        $target = New-ScratchDatabase
        { $b | Restore-OmegaDatabase -Database $target -Confirm:$false } | Should -Throw -ErrorId 'OmegaDb.BackupChecksumMismatch,OmegaDb.Commands.RestoreOmegaDatabaseCommand'
        Invoke-TestSql $target "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace" | Should -Be 0
    }

    It 'fails the Restore check with the name of an extension the sandbox''s server lacks' {
        $b = $db | Backup-OmegaDatabase -Path (Join-Path $folder 'extension.sql') -Format Plain
        # As if the source had an extension this machine's PostgreSQL was built without.
        Add-Content -LiteralPath $b.Path 'CREATE EXTENSION omega_missing_extension;'
        $manifest = Get-Content -Raw $b.ManifestPath | ConvertFrom-Json
        $manifest.sha256 = (Get-FileHash -Algorithm SHA256 $b.Path).Hash.ToLowerInvariant()
        $manifest.sizeBytes = (Get-Item $b.Path).Length
        $manifest | ConvertTo-Json -Depth 5 | Set-Content $b.ManifestPath

        $results = @(Get-OmegaBackup $b.ManifestPath | Test-OmegaBackup)
        $results.Passed | Should -Be $true, $false, $false, $false
        $results[1].Message | Should -Match "needs the extension 'omega_missing_extension'"
        $results[1].Message | Should -Match 'Install it'
    }

    It 'reports a bad manifest as a per-item error and reads the good ones' {
        $good = $db | Backup-OmegaDatabase -Path (Join-Path $folder 'good.dump')
        Set-Content (Join-Path $folder 'broken.dump.omega.json') '{ "kind": "omegadb-backup", "formatVersion": 1, '
        Set-Content (Join-Path $folder 'other.dump.omega.json') '{ "kind": "something-else" }'
        $err = $null
        $read = @(Get-OmegaBackup $folder -ErrorAction SilentlyContinue -ErrorVariable err)
        $read.Path | Should -Contain $good.Path
        @($err | Where-Object FullyQualifiedErrorId -EQ 'OmegaDb.BackupManifestInvalid,OmegaDb.Commands.GetOmegaBackupCommand').Count | Should -Be 2
        $err = $null
        Get-OmegaBackup (Join-Path $folder 'nothing-here.dump') -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.BackupManifestNotFound,OmegaDb.Commands.GetOmegaBackupCommand'
    }
}

Describe 'What a backup never does' {
    BeforeAll {
        $script:db = New-ScratchDatabase $seed
        $script:folder = New-WorkFolder never
    }

    It 'never overwrites an existing file' {
        $path = Join-Path $folder 'taken.dump'
        Set-Content $path 'precious'
        $err = $null
        $db | Backup-OmegaDatabase -Path $path -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.BackupExists,OmegaDb.Commands.BackupOmegaDatabaseCommand'
        Get-Content $path | Should -Be 'precious'
        Test-Path "$path.omega.json" | Should -BeFalse

        Set-Content (Join-Path $folder 'manifest-only.dump.omega.json') '{}'
        $db | Backup-OmegaDatabase -Path (Join-Path $folder 'manifest-only.dump') -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.BackupExists,OmegaDb.Commands.BackupOmegaDatabaseCommand'
        Test-Path (Join-Path $folder 'manifest-only.dump') | Should -BeFalse
    }

    It 'writes nothing with -WhatIf' {
        $empty = New-WorkFolder whatif
        $db | Backup-OmegaDatabase -Path $empty -WhatIf | Should -BeNullOrEmpty
        @(Get-ChildItem -Force $empty) | Should -BeNullOrEmpty
    }

    It 'leaves nothing when pg_dump fails, and says why' {
        $empty = New-WorkFolder failed
        Invoke-TestSql $db "CREATE ROLE backup_reader LOGIN PASSWORD 'Reader-Pw-1'; REVOKE ALL ON customers FROM PUBLIC;" | Out-Null
        $reader = Connect-OmegaDatabase "postgresql://backup_reader:Reader-Pw-1@$($db.Host):$($db.Port)/$($db.Database)"
        $err = $null
        $reader | Backup-OmegaDatabase -Path $empty -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Match '^OmegaDb\.(PgDumpFailed|BackupRowCountFailed),'
        $err[0].Exception.Message | Should -Match 'permission denied'
        $err[0].Exception.Message | Should -Not -Match 'Reader-Pw-1'
        @(Get-ChildItem -Force $empty) | Should -BeNullOrEmpty
    }

    It 'names the pg_dump version it needs when the one given is too old' {
        $fake = New-WorkFolder fake-bin
        Set-Content (Join-Path $fake 'pg_dump') "#!/bin/sh`necho 'pg_dump (PostgreSQL) 9.6.24'`n" -NoNewline
        chmod +x (Join-Path $fake 'pg_dump')
        $empty = New-WorkFolder too-old
        $err = $null
        $db | Backup-OmegaDatabase -Path $empty -PostgresBin $fake -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.PgDumpTooOld,OmegaDb.Commands.BackupOmegaDatabaseCommand'
        $major = ($db.ServerVersion -split '\.')[0]
        $err[0].Exception.Message | Should -Match "pg_dump $major or newer"
        $err[0].Exception.Message | Should -Match '9\.6'
        @(Get-ChildItem -Force $empty) | Should -BeNullOrEmpty
    }

    It 'refuses -Jobs without the Directory format before anything runs' {
        $err = $null
        $db | Backup-OmegaDatabase -Path $folder -Jobs 2 -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.BackupJobsNeedDirectoryFormat,OmegaDb.Commands.BackupOmegaDatabaseCommand'
    }
}

Describe 'Restore-OmegaDatabase targets' {
    BeforeAll {
        $script:db = New-ScratchDatabase $seed
        $script:backup = $db | Backup-OmegaDatabase -Path (New-WorkFolder restore-targets)
    }

    It 'refuses a database marked Production without -Force' {
        $target = New-ScratchDatabase
        $prod = Connect-OmegaDatabase $target.GetConnectionUri() -Environment Production
        { $backup | Restore-OmegaDatabase -Database $prod -Confirm:$false } | Should -Throw -ErrorId 'OmegaDb.RestoreRefusedOnProduction,OmegaDb.Commands.RestoreOmegaDatabaseCommand'
        Invoke-TestSql $target "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace" | Should -Be 0
        $backup | Restore-OmegaDatabase -Database $prod -Force -Confirm:$false
        Get-RowCount $target orders | Should -Be 5000
    }

    It 'changes nothing with -WhatIf' {
        $target = New-ScratchDatabase
        $backup | Restore-OmegaDatabase -Database $target -WhatIf
        Invoke-TestSql $target "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace" | Should -Be 0
    }

    It 'never takes the target from a piped backup' {
        $parameter = (Get-Command Restore-OmegaDatabase).Parameters['Database']
        $parameter.Attributes | Where-Object { $_ -is [Parameter] } | ForEach-Object {
            $_.Mandatory | Should -BeTrue
            $_.ValueFromPipeline | Should -BeFalse
            $_.ValueFromPipelineByPropertyName | Should -BeFalse
        }
        $child = Invoke-ChildPwsh -AllowFailure -Script @"
Import-Module '$env:OMEGADB_MODULE_PATH'
Get-OmegaBackup '$($backup.ManifestPath)' | Restore-OmegaDatabase -Confirm:`$false
"@
        $child | Should -Match 'Database'
        Invoke-TestSql $db 'SELECT count(*) FROM orders' | Should -Be 5000
    }
}

Describe 'The password and an interrupted backup' {
    BeforeAll {
        # Big enough that pg_dump runs for a while: its command line is read while it runs.
        $script:db = New-ScratchDatabase @'
CREATE TABLE events (id bigint PRIMARY KEY, payload text);
INSERT INTO events SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 400000) g;
'@
        $script:password = Get-TestPassword $db
    }

    It 'hands pg_dump the password in an owner-only pgpass file that is gone afterwards, never on its command line' {
        $folder = New-WorkFolder password
        $env:OMEGA_TEST_URI = $db.GetConnectionUri()
        try {
            $child = Start-ChildPwsh -Script @"
`$ErrorActionPreference = 'Stop'
Import-Module '$env:OMEGADB_MODULE_PATH'
Backup-OmegaDatabase -Database `$env:OMEGA_TEST_URI -Path '$folder' | Out-Null
"@
        }
        finally { Remove-Item env:OMEGA_TEST_URI }
        try {
            $dump = Wait-PgDump $db.Database
            $dump.CommandLine -join ' ' | Should -Not -Match ([regex]::Escape($password))
            $dump.CommandLine -join ' ' | Should -Match '--snapshot='
            $dump.Environment | Where-Object { $_ -like 'PGPASSWORD=*' } | Should -BeNullOrEmpty
            $passFile = ($dump.Environment | Where-Object { $_ -like 'PGPASSFILE=*' }) -replace '^PGPASSFILE=', ''
            $passFile | Should -Not -BeNullOrEmpty
            if (Test-Path -LiteralPath $passFile) { (Get-Item -LiteralPath $passFile).UnixMode | Should -Be '-rw-------' }
            $child.WaitForExit(120000) | Should -BeTrue
            $child.ExitCode | Should -Be 0
            Test-Path -LiteralPath $passFile | Should -BeFalse
            @(Get-OmegaBackup $folder).RowCounts['public.events'] | Should -Be 400000
        }
        finally { if (-not $child.HasExited) { $child.Kill($true) }; $child.Dispose() }
    }

    It 'leaves nothing under the final names when the session is killed mid-dump' {
        $folder = New-WorkFolder killed
        $env:OMEGA_TEST_URI = $db.GetConnectionUri()
        try {
            $child = Start-ChildPwsh -Script @"
Import-Module '$env:OMEGADB_MODULE_PATH'
Backup-OmegaDatabase -Database `$env:OMEGA_TEST_URI -Path '$folder' | Out-Null
"@
        }
        finally { Remove-Item env:OMEGA_TEST_URI }
        try {
            $dump = Wait-PgDump $db.Database
            $child.Kill($true)
            $child.WaitForExit(30000) | Should -BeTrue
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ((Test-ProcessAlive $dump.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            # Only hidden .partial names may remain: nothing a reader or Get-OmegaBackup takes for a backup.
            @(Get-ChildItem $folder) | Should -BeNullOrEmpty
            @(Get-ChildItem -Force $folder | Where-Object Name -NotMatch '^\..*\.partial$') | Should -BeNullOrEmpty
            @(Get-OmegaBackup $folder) | Should -BeNullOrEmpty
        }
        finally { if (-not $child.HasExited) { $child.Kill($true) }; $child.Dispose() }
    }

    It 'removes its temporary files and stops pg_dump when stopped (Ctrl+C)' {
        $folder = New-WorkFolder stopped
        $ps = [powershell]::Create()
        try {
            # A runspace of its own, stopped the way Ctrl+C stops a pipeline.
            $null = $ps.AddScript("param(`$Database, `$Path) Import-Module '$env:OMEGADB_MODULE_PATH'; Backup-OmegaDatabase -Database `$Database -Path `$Path").AddArgument($db).AddArgument($folder)
            $handle = $ps.BeginInvoke()
            try { $dump = Wait-PgDump $db.Database }
            catch { throw "$_; the backup said: $($ps.Streams.Error -join '; ') $(if ($handle.IsCompleted) { 'and had finished' })" }
            $ps.Stop()
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while ((Test-ProcessAlive $dump.Id) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Test-ProcessAlive $dump.Id | Should -BeFalse
            @(Get-ChildItem -Force $folder) | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }
}
