# The runbook a newcomer runs first (examples/rehearse.ps1, `./build.ps1 demo`), end to end:
# each step's outcome is asserted, and a second look by hand confirms what the steps claim.
BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    $script:work = (New-Item -ItemType Directory -Force -Path (Join-Path ([IO.Path]::GetTempPath()) "omegadb-rehearse-test-$PID")).FullName
    $script:example = Join-Path $PSScriptRoot '../../examples/rehearse.ps1'
    # Write-Host output (stream 6) is the example's account for a person; the steps come back as objects.
    $script:steps = @(& $example -ModulePath $env:OMEGADB_MODULE_PATH -WorkDirectory $work -PassThru 6>$null)
    function script:Outcome([string] $Prefix) {
        $match = @($steps | Where-Object { $_.Step -like "$Prefix*" })
        $match.Count | Should -Be 1 -Because "one step starts with '$Prefix'"
        return $match[0].Outcome
    }
}

AfterAll {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

Describe 'examples/rehearse.ps1, the runbook end to end' {
    It 'runs every step, each timed' {
        $steps.Count | Should -Be 13
        $steps | ForEach-Object { $_.Seconds | Should -BeGreaterOrEqual 0 }
    }

    It 'starts production at its baseline, marked Production' {
        Outcome 'Production stand-in' | Should -Match 'environment Production, migrations applied: 1$'
    }

    It 'backs production up and proves the backup by restoring it' {
        $outcome = Outcome 'Backup-OmegaDatabase'
        $outcome | Should -Match 'test restore: (\d+) of \1 checks passed'
        $outcome | Should -Not -Match 'test restore: 0 of'
        @(Get-ChildItem (Join-Path $work 'backups') -Filter '*.omega.json').Count | Should -Be 2
        $manifests = @(Get-OmegaBackup -Path (Join-Path $work 'backups'))
        $manifests.Count | Should -Be 2
        $manifests | ForEach-Object { $_.Path | Should -Exist }
    }

    It 'makes a sandbox from production with its schema and a sample of 100 rows, migration 2 pending there' {
        Outcome 'New-OmegaSandbox -From' | Should -Match 'same schema fingerprint as production: True; user_profiles rows: 100 of 3000; pending there: 2$'
    }

    It 'refuses production before any rehearsal' {
        Outcome 'Production before any rehearsal' | Should -Match '^refused \(OmegaDb\.RehearsalRequired\)'
    }

    It 'dry-runs the migration, meets the expected schema, and leaves it pending' {
        Outcome 'Dry run on the sandbox' | Should -Match '^dry run DryRun, verify Passed; expected schema: (\d+) of \1 assertions passed; rolled back, still pending: 1$'
    }

    It 'rehearses the migration on the sandbox' {
        Outcome 'The rehearsal' | Should -Match '^Applied, verify Passed; locks: .*AccessExclusiveLock on public\.user_profiles'
    }

    It 'lets production through the gate once rehearsed, and production then matches the expected schema' {
        Outcome 'Production: the same migration' | Should -Match '^Production gate passed: .+; applied: Applied; production matches the expected schema: True$'
    }

    It 'lists the new indexes, unused yet' {
        $outcome = Outcome 'Get-OmegaIndexUsage'
        $outcome | Should -Match 'idx_user_profiles_avatar_url'
        $outcome | Should -Match 'idx_user_profiles_preferences_gin'
    }

    It 'reports the data an undo would destroy: 25 values in each of the three columns' {
        Outcome 'Undo-OmegaMigration -DryRun' | Should -Match '^would destroy 75 values; 3 warnings; still applied: 1, 2$'
    }

    It 'refuses the undo without a backup, and runs it with one' {
        Outcome 'Undo-OmegaMigration without a backup' | Should -Match '^refused \(OmegaDb\.UndoWouldLoseData\)'
        $outcome = Outcome 'Backup of the sandbox'
        $outcome | Should -Match '^Undone with backup '
        $outcome | Should -Not -Match 'avatar_url|bio|preferences'
    }

    It 'removes both clusters and everything it wrote' {
        Outcome 'Remove-OmegaSandbox' | Should -Match 'data directories left: 0$'
        @(Get-OmegaSandbox | Where-Object Name -Like 'omega-rehearse-*' | Where-Object Status -NE 'Removed').Count | Should -Be 0
        # The template -SampleRows saved of the production stand-in went with it.
        Join-Path $env:OMEGADB_SANDBOX_ROOT 'templates' | Should -Not -Exist
    }
}
