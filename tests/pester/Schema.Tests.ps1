BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-schema
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "omega-schema-$PID"
    New-Item -ItemType Directory -Path $work -Force | Out-Null

    # The runbook's table before its migration, and the migration itself.
    $script:baseline = @'
CREATE TABLE user_profiles (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL UNIQUE,
    display_name varchar(80) NOT NULL,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
'@
    $script:migration = @'
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS avatar_url TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS bio TEXT;
ALTER TABLE user_profiles ADD COLUMN IF NOT EXISTS preferences JSONB;
CREATE INDEX IF NOT EXISTS idx_user_profiles_preferences_gin ON user_profiles USING GIN (preferences);
CREATE INDEX IF NOT EXISTS idx_user_profiles_avatar_url ON user_profiles (avatar_url) WHERE avatar_url IS NOT NULL;
'@
    $script:expect = @{
        Tables = @{
            user_profiles = @{
                Columns = @{ avatar_url = 'TEXT'; bio = 'text'; preferences = 'jsonb' }
                Indexes = 'idx_user_profiles_preferences_gin', @{ Name = 'idx_user_profiles_avatar_url'; Where = 'avatar_url IS NOT NULL' },
                          @{ Method = 'gin'; Columns = 'preferences' }
            }
        }
    }

    $script:scratch = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
}

AfterAll {
    # Scratch databases first: dropping them needs the server that $box runs.
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'The runbook''s user_profiles migration, verified with Test-OmegaSchema' {
    BeforeAll {
        $script:db = New-ScratchDatabase $baseline
        $script:before = Get-OmegaSchema $db
        Invoke-TestSql $db $migration | Out-Null
        $script:after = Get-OmegaSchema $db
    }

    It 'fails before the migration, naming each missing column and index' {
        $results = $before | Test-OmegaSchema -Expect $expect
        $failed = $results | Where-Object { -not $_.Passed }
        $failed.Assertion -join "`n" | Should -Match 'avatar_url'
        $failed.Assertion -join "`n" | Should -Match 'bio'
        $failed.Assertion -join "`n" | Should -Match 'preferences'
        $failed.Assertion -join "`n" | Should -Match 'idx_user_profiles_preferences_gin'
        $results | Where-Object { $_.Assertion -match 'Table .*user_profiles' } | ForEach-Object { $_.Passed | Should -BeTrue }
        $before | Test-OmegaSchema -Expect $expect -Quiet | Should -BeFalse
    }

    It 'passes after the migration, on the snapshot and on the live database' {
        $results = $after | Test-OmegaSchema -Expect $expect
        $results | Where-Object { -not $_.Passed } | Should -BeNullOrEmpty
        $results.Count | Should -BeGreaterThan 5
        $results | ForEach-Object { $_ | Should -BeOfType ([OmegaDb.OmegaSchemaTestResult]) }
        $db | Test-OmegaSchema -Expect $expect -Quiet | Should -BeTrue
        Test-OmegaSchema -Database $db.GetConnectionUri() -Expect $expect -Quiet | Should -BeTrue
    }

    It 'reads the expectation from a .psd1 and from a .json file' {
        $psd1 = Join-Path $work 'expected.psd1'
        Set-Content $psd1 @'
@{
    Tables = @{
        user_profiles = @{
            Columns = @{ avatar_url = 'text'; bio = 'text'; preferences = 'jsonb'; display_name = 'varchar(80)'; created_at = 'timestamptz' }
            Indexes = 'idx_user_profiles_preferences_gin', 'idx_user_profiles_avatar_url'
        }
    }
    Absent = @{ Tables = 'legacy_profiles' }
}
'@
        $after | Test-OmegaSchema -Expect $psd1 -Quiet | Should -BeTrue
        $before | Test-OmegaSchema -Expect $psd1 -Quiet | Should -BeFalse
        $json = Join-Path $work 'expected.json'
        $expect | ConvertTo-Json -Depth 8 | Set-Content $json
        $after | Test-OmegaSchema -Expect $json -Quiet | Should -BeTrue
    }

    It 'asserts absence: the rollback leaves no trace' {
        $absent = @{ Absent = @{ Columns = 'user_profiles.avatar_url', 'user_profiles.bio', 'user_profiles.preferences'; Indexes = 'idx_user_profiles_preferences_gin', 'idx_user_profiles_avatar_url' } }
        $before | Test-OmegaSchema -Expect $absent -Quiet | Should -BeTrue
        $failed = $after | Test-OmegaSchema -Expect $absent | Where-Object { -not $_.Passed }
        @($failed).Count | Should -Be 5
    }

    It 'lists what changed with Compare-OmegaSchema' {
        $changes = $before | Compare-OmegaSchema -Difference $after
        $changes | ForEach-Object { $_ | Should -BeOfType ([OmegaDb.OmegaSchemaChange]) }
        $added = $changes | Where-Object Change -eq 'Added'
        ($added | Where-Object ObjectType -eq 'Column').Name | Sort-Object |
            Should -Be @('public.user_profiles.avatar_url', 'public.user_profiles.bio', 'public.user_profiles.preferences')
        ($added | Where-Object ObjectType -eq 'Index').Name | Sort-Object |
            Should -Be @('public.user_profiles.idx_user_profiles_avatar_url', 'public.user_profiles.idx_user_profiles_preferences_gin')
        Compare-OmegaSchema $after $after | Should -BeNullOrEmpty
    }

    It 'treats a malformed expectation as an error naming the bad key, not as a failed assertion' {
        $bad = @{ Tables = @{ user_profiles = @{ Columns = @{ bio = @{ Typ = 'text' } } } } }
        $out = $null
        $err = try { $out = $after | Test-OmegaSchema -Expect $bad; $null } catch { $_ }
        $out | Should -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.InvalidSchemaExpectation*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        "$err" | Should -Match 'Tables\.user_profiles\.Columns\.bio\.Typ'
        { $after | Test-OmegaSchema -Expect @{ Tabels = @{} } -ErrorAction Stop } | Should -Throw '*Tabels*'
        { $after | Test-OmegaSchema -Expect (Join-Path $work 'missing.psd1') -ErrorAction Stop } | Should -Throw '*does not exist*'
    }

    It 'registers Should -MatchOmegaSchema, whose failure lists each failing assertion' {
        $after | Should -MatchOmegaSchema $expect
        $before | Should -Not -MatchOmegaSchema $expect
        $after | Should -MatchOmegaSchema $after
        $message = try { $before | Should -MatchOmegaSchema $expect; 'no failure' } catch { $_.Exception.Message }
        $message | Should -Match 'assertions failed'
        $message | Should -Match 'avatar_url.*expected.*text'
        $message | Should -Match 'idx_user_profiles_preferences_gin'
        $db | Should -MatchOmegaSchema $expect
    }
}

Describe 'Fingerprints across databases' {
    It 'is equal for the same schema in two databases and differs after one change' {
        $a = New-ScratchDatabase ($baseline + $migration)
        $b = New-ScratchDatabase ($baseline + $migration)
        $fa = (Get-OmegaSchema $a).Fingerprint
        $fa | Should -Match '^[0-9a-f]{64}$'
        (Get-OmegaSchema $b).Fingerprint | Should -Be $fa
        Invoke-TestSql $b 'ALTER TABLE user_profiles ALTER COLUMN bio SET DEFAULT ''''' | Out-Null
        $changed = Get-OmegaSchema $b
        $changed.Fingerprint | Should -Not -Be $fa
        $diff = Get-OmegaSchema $a | Compare-OmegaSchema -Difference $changed
        $diff.Name | Should -Be 'public.user_profiles.bio'
        $diff.Property | Should -Be 'Default'
        $a, $b | Get-OmegaSchema | Should -HaveCount 2
    }
}

Describe 'Export-OmegaSchema and Import-OmegaSchema' {
    BeforeAll {
        $script:db = New-ScratchDatabase ($baseline + $migration + @'
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE VIEW active_profiles AS SELECT id, display_name FROM user_profiles WHERE avatar_url IS NOT NULL;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at := now(); RETURN NEW; END $$;
CREATE TRIGGER user_profiles_touch BEFORE UPDATE ON user_profiles FOR EACH ROW EXECUTE FUNCTION touch();
COMMENT ON COLUMN user_profiles.bio IS 'Free text, "quoted", ünïcode';
'@)
        $script:live = Get-OmegaSchema $db
    }

    It 'round-trips byte for byte and compares equal to the live schema' {
        $first = Join-Path $work 'first.json'
        $second = Join-Path $work 'second.json'
        $live | Export-OmegaSchema $first
        $imported = Import-OmegaSchema $first
        $imported | Should -BeOfType ([OmegaDb.OmegaSchema])
        $imported.Fingerprint | Should -Be $live.Fingerprint
        $imported.DatabaseName | Should -Be $live.DatabaseName
        $imported | Export-OmegaSchema $second
        [IO.File]::ReadAllBytes($second) | Should -Be ([IO.File]::ReadAllBytes($first))
        Compare-OmegaSchema $live $imported | Should -BeNullOrEmpty
        $imported | Test-OmegaSchema -Reference $live -Quiet | Should -BeTrue
    }

    It 'writes sorted, indented JSON with LF line endings and no BOM' {
        $path = Join-Path $work 'format.json'
        $live | Export-OmegaSchema $path
        $bytes = [IO.File]::ReadAllBytes($path)
        $bytes[0] | Should -Be ([byte][char]'{')
        $bytes | Should -Not -Contain ([byte]13)
        $text = Get-Content $path -Raw
        $text | Should -Match '"FormatVersion": 1'
        $text | Should -Match '"user_profiles"'
        $text | Should -Not -Match 'Password|password'
    }

    It 'honours -WhatIf and -NoClobber, and returns the file with -PassThru' {
        $path = Join-Path $work 'whatif.json'
        $live | Export-OmegaSchema $path -WhatIf
        Test-Path $path | Should -BeFalse
        ($live | Export-OmegaSchema $path -PassThru).FullName | Should -Be $path
        $err = $null
        $live | Export-OmegaSchema $path -NoClobber -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.FileExists*'
    }

    It 'warns when a file was edited after export, and errors on a file that is not a schema' {
        $path = Join-Path $work 'edited.json'
        $live | Export-OmegaSchema $path
        (Get-Content $path -Raw).Replace('"sad"', '"glum"') | Set-Content $path -NoNewline
        $warnings = $null
        $edited = Import-OmegaSchema $path -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Not -BeNullOrEmpty
        $edited.Fingerprint | Should -Not -Be $live.Fingerprint
        (Compare-OmegaSchema $live $edited).Property | Should -Be 'Values'

        $junk = Join-Path $work 'junk.json'
        Set-Content $junk '{ "not": "a schema" }'
        $err = $null
        Import-OmegaSchema $junk -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.InvalidSchemaFile*'
        Import-OmegaSchema (Join-Path $work 'nope.json') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.SchemaFileNotFound*'
    }

    It 'serialises with ConvertTo-Json -Depth 6 without a password, and formats as a table' {
        $json = $live | ConvertTo-Json -Depth 6 -WarningAction SilentlyContinue
        $json | Should -Not -Match ([regex]::Escape((Get-TestPassword $db)))
        ($live | Out-String -Width 200) | Should -Match 'Fingerprint'
        ($live.Tables | Out-String -Width 200) | Should -Match 'user_profiles'
        ($live.GetTable('user_profiles').Indexes | Out-String -Width 200) | Should -Match 'gin'
    }
}

Describe 'Get-OmegaSchema filters and errors' {
    It 'filters by schema and table with wildcards' {
        $db = New-ScratchDatabase ($baseline + 'CREATE SCHEMA audit; CREATE TABLE audit.events (id int); CREATE TABLE user_notes (id int);')
        (Get-OmegaSchema $db -Schema audit).Tables.FullName | Should -Be 'audit.events'
        (Get-OmegaSchema $db -Table 'user_*').Tables.FullName | Sort-Object | Should -Be @('public.user_notes', 'public.user_profiles')
        (Get-OmegaSchema $db -Table 'audit.*').Tables.FullName | Should -Be 'audit.events'
    }

    It 'writes an OmegaDb error for a database it cannot reach, and goes on with the next' {
        $dead = Connect-OmegaDatabase "postgresql://omega:x@127.0.0.1:1/none" -ErrorAction SilentlyContinue
        if (-not $dead) { $dead = "postgresql://omega:x@127.0.0.1:1/none" }
        $err = $null
        $out = @($dead, $box) | Get-OmegaSchema -ErrorVariable err -ErrorAction SilentlyContinue
        @($out).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.*'
    }
}

Describe 'Get-OmegaIndexUsage' {
    It 'counts scans and flags only non-unique, non-constraint indexes that were never scanned' {
        $db = New-ScratchDatabase ($baseline + $migration + @'
INSERT INTO user_profiles (user_id, display_name, email, avatar_url, preferences)
SELECT g, 'user ' || g, 'u' || g || '@example.com', CASE WHEN g % 10 = 0 THEN 'https://img/' || g END, jsonb_build_object('theme', 'dark')
  FROM generate_series(1, 2000) g;
ANALYZE user_profiles;
'@)
        Invoke-TestSql $db "SET enable_seqscan = off; SELECT count(*) FROM user_profiles WHERE preferences @> '{""theme"": ""dark""}';" | Out-Null
        # The statistics collector reports with a delay; wait until the scan shows.
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        do {
            $usage = $db | Get-OmegaIndexUsage -Table user_profiles
            $gin = $usage | Where-Object Index -eq 'idx_user_profiles_preferences_gin'
        } until ($gin.Scans -gt 0 -or [DateTime]::UtcNow -gt $deadline)
        $gin.Scans | Should -BeGreaterThan 0
        $gin.Unused | Should -BeFalse
        $gin.SizeBytes | Should -BeGreaterThan 0
        $usage | ForEach-Object { $_ | Should -BeOfType ([OmegaDb.OmegaIndexUsage]) }
        ($usage | Where-Object Index -eq 'idx_user_profiles_avatar_url').Unused | Should -BeTrue
        ($usage | Where-Object Index -eq 'user_profiles_pkey').Unused | Should -BeFalse
        ($usage | Where-Object Index -eq 'user_profiles_user_id_key').Unused | Should -BeFalse
        ($db | Get-OmegaIndexUsage -Unused).Index | Should -Be 'idx_user_profiles_avatar_url'
        ($usage | Out-String -Width 200) | Should -Match 'Unused'
        # A snapshot carries its database, so it pipes by property name.
        (Get-OmegaSchema $db | Get-OmegaIndexUsage -Table nothing_here) | Should -BeNullOrEmpty
    }
}
