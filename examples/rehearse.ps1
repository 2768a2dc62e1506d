<#
.SYNOPSIS
    The runbook, end to end: the user_profiles change rehearsed on a sandbox made from a
    production stand-in, backed up, applied to production through the gate, and undone on
    the sandbox with a data-loss report first.
.DESCRIPTION
    Every step prints what ran, how long it took, what was verified and what the production
    gate decided. Nothing outside the machine is touched: "production" is a throwaway local
    cluster marked -Environment Production, and everything the script makes (sandboxes,
    backups, the rehearsal log) is removed at the end, also when a step fails.

    `./build.ps1 demo` runs it against the built module. Prints its account to the host;
    with -PassThru it also returns one object per step (Step, Seconds, Outcome), as the
    end-to-end test uses it.
.PARAMETER ModulePath
    The OmegaDb module to import; the one ./build.ps1 builds by default.
.PARAMETER WorkDirectory
    Where backups and the rehearsal log go; a new temporary directory by default, removed at the end.
.PARAMETER PassThru
    Return one object per step (Step, Seconds, Outcome).
.EXAMPLE
    dotnet pwsh ./examples/rehearse.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OmegaDb/OmegaDb.psd1'),
    [string] $WorkDirectory,
    [switch] $PassThru
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$migrations = Join-Path $PSScriptRoot 'migrations'
$expected = Join-Path $PSScriptRoot 'expected-schema.psd1'
$ownWork = -not $WorkDirectory
$work = if ($ownWork) { [IO.Directory]::CreateTempSubdirectory('omegadb-rehearse-').FullName } else { (New-Item -ItemType Directory -Path $WorkDirectory -Force).FullName }
$backups = New-Item -ItemType Directory -Path (Join-Path $work 'backups') -Force
# Rehearsals are recorded beside the migrations by default; the example keeps its log in its work directory.
$rehearsals = Join-Path $work 'rehearsals.json'

$steps = [System.Collections.Generic.List[object]]::new()
function Step {
    <# Runs one step of the runbook and records how long it took and what it found. #>
    param([string] $What, [scriptblock] $Action)
    Write-Host "`n>> $What" -ForegroundColor Cyan
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $outcome = & $Action
    $watch.Stop()
    $steps.Add([pscustomobject]@{ Step = $What; Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 2); Outcome = $outcome })
    Write-Host ("   {0} ({1:0.00} s)" -f $outcome, $watch.Elapsed.TotalSeconds) -ForegroundColor DarkGray
}

function Show([Parameter(ValueFromPipeline)] $InputObject, [object[]] $Property) {
    begin { $all = [System.Collections.Generic.List[object]]::new() }
    process { $all.Add($InputObject) }
    end {
        $table = if ($Property) { $all | Format-Table -Property $Property -AutoSize } else { $all | Format-Table -AutoSize }
        $table | Out-String -Width 160 | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ } | Write-Host
    }
}

function Invoke-Psql {
    <#
        What a developer does by hand against the sandbox: count rows, or let the application
        write a few profiles. Through psql and the sandbox's URI; returns psql's unaligned output.
    #>
    param($Database, [string] $Sql)
    $psql = @(@(Get-Command psql -CommandType Application -ErrorAction Ignore | Select-Object -First 1 -ExpandProperty Source) +
        @(Get-ChildItem /usr/lib/postgresql/*/bin/psql -ErrorAction Ignore | Sort-Object FullName -Descending | Select-Object -ExpandProperty FullName) |
        Where-Object { $_ })[0]
    if (-not $psql) { throw 'psql was not found: the example counts and writes test rows through it.' }
    $output = & $psql $Database.GetConnectionUri() -X -q -A -t -v ON_ERROR_STOP=1 -c $Sql 2>&1
    if ($LASTEXITCODE -ne 0) { throw "psql failed: $output" }
    return ($output -join "`n").Trim()
}

$prodBox = $null
$sandbox = $null
try {
    $prod = $null
    Step 'Production stand-in: a throwaway cluster, connected with -Environment Production, at the baseline (migration 1, 3000 profiles)' {
        $script:prodBox = New-OmegaSandbox -Name omega-rehearse-production
        $script:prod = Connect-OmegaDatabase $prodBox.GetConnectionUri() -Name production -Environment Production
        # Production got its baseline long ago; the stand-in catches up without the gate.
        $null = $prod | Invoke-OmegaMigration -Path $migrations -To 1 -SkipRehearsalCheck -Confirm:$false -RehearsalPath $rehearsals
        "$($prod.Name): PostgreSQL $($prod.ServerVersion), environment $($prod.Environment), migrations applied: $(@($prod | Get-OmegaMigration $migrations -Status Applied).Version -join ', ')"
    }

    Step 'Backup-OmegaDatabase: pg_dump of production, with a manifest (size, SHA-256, schema fingerprint, row counts)' {
        $script:prodBackup = $prod | Backup-OmegaDatabase -Path $backups
        $prodBackup | Show
        $checks = @($prodBackup | Test-OmegaBackup)
        $checks | Show -Property Check, Passed, Expected, Actual
        "backup $([IO.Path]::GetFileName($prodBackup.Path)), $($prodBackup.SizeBytes) bytes; test restore: $(@($checks | Where-Object Passed).Count) of $($checks.Count) checks passed"
    }

    Step 'New-OmegaSandbox -From production -SampleRows 100: the parallel database, same schema, a sample of real rows' {
        $script:sandbox = $prod | New-OmegaSandbox -SampleRows 100 -Name omega-rehearse-sandbox
        $same = (Get-OmegaSchema $sandbox).Fingerprint -eq (Get-OmegaSchema $prod).Fingerprint
        $pending = @($sandbox | Get-OmegaMigration $migrations -Status Pending).Version -join ', '
        $rows = Invoke-Psql $sandbox 'SELECT count(*) FROM user_profiles'
        "sandbox $($sandbox.Name) at $sandbox; same schema fingerprint as production: $same; user_profiles rows: $rows of 3000; pending there: $pending"
    }

    Step 'Production before any rehearsal: the gate refuses' {
        try {
            $null = $prod | Invoke-OmegaMigration -Path $migrations -RehearsalPath $rehearsals
            throw 'The production gate did not refuse an unrehearsed migration.'
        }
        catch [System.Management.Automation.RuntimeException] {
            if ($_.FullyQualifiedErrorId -notlike 'OmegaDb.RehearsalRequired*') { throw }
            "refused ($($_.FullyQualifiedErrorId.Split(',')[0])): no run on a sandbox with production's schema has passed yet"
        }
    }

    Step 'Dry run on the sandbox, piped into Test-OmegaSchema -Expect examples/expected-schema.psd1' {
        $dry = $sandbox | Invoke-OmegaMigration -Path $migrations -DryRun -RehearsalPath $rehearsals
        $dry | Show -Property Version, Name, Status, Duration, Verify, @{ n = 'Changes'; e = { $_.Changes.Count } }
        $tests = @($dry | Test-OmegaSchema -Expect $expected)
        $tests | Show -Property Passed, Assertion, Actual
        $still = @($sandbox | Get-OmegaMigration $migrations -Status Pending).Count
        "dry run $($dry.Status), verify $($dry.Verify); expected schema: $(@($tests | Where-Object Passed).Count) of $($tests.Count) assertions passed; rolled back, still pending: $still"
    }

    Step 'The rehearsal: migration 2 on the sandbox, recorded with the schema fingerprint it started from' {
        $run = $sandbox | Invoke-OmegaMigration -Path $migrations -RehearsalPath $rehearsals
        $run | Show -Property Version, Name, Status, Duration, Verify
        $locks = ($run.Locks | ForEach-Object { "$($_.Mode) on $($_.Relation)" }) -join '; '
        "$($run.Status), verify $($run.Verify); locks: $locks; rewritten: $(if ($run.RewrittenTables) { $run.RewrittenTables -join ', ' } else { 'none' })"
    }

    Step 'Production: the same migration, now that it was rehearsed from the same schema' {
        $gate = $null
        $run = $prod | Invoke-OmegaMigration -Path $migrations -RehearsalPath $rehearsals -Verbose 4>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -like 'Production gate*') { $gate = $_.Message } }
            else { $_ }
        }
        $run | Show -Property Version, Name, Status, Duration, Verify
        "$($gate.TrimEnd('.')); applied: $($run.Status); production matches the expected schema: $(Test-OmegaSchema -Database $prod -Expect $expected -Quiet)"
    }

    Step 'Get-OmegaIndexUsage: the new indexes on production' {
        $usage = @($prod | Get-OmegaIndexUsage -Table user_profiles)
        $usage | Show -Property Index, Scans, SizeBytes, Unused
        "$($usage.Count) indexes on user_profiles; never scanned yet: $(@($usage | Where-Object Unused).Index -join ', ')"
    }

    Step 'Try the application on the sandbox: a few profiles get a bio, an avatar and preferences' {
        $null = Invoke-Psql $sandbox @"
UPDATE user_profiles
   SET bio = 'Writes about ' || display_name, avatar_url = 'https://cdn.example.com/a/' || id || '.png', preferences = '{"theme": "dark"}'
 WHERE id IN (SELECT id FROM user_profiles ORDER BY id LIMIT 25);
"@
        '25 profiles on the sandbox now hold data in the new columns'
    }

    Step 'Undo-OmegaMigration -DryRun on the sandbox: the data-loss report, nothing changed' {
        $preview = $sandbox | Undo-OmegaMigration -Path $migrations -Count 1 -DryRun -Force -WarningVariable lossWarnings -WarningAction SilentlyContinue
        $preview.DataLoss | Show -Property ObjectType, Name, Count
        "would destroy $(($preview.DataLoss | Measure-Object Count -Sum).Sum) values; $(@($lossWarnings).Count) warnings; still applied: $(@($sandbox | Get-OmegaMigration $migrations -Status Applied).Version -join ', ')"
    }

    Step 'Undo-OmegaMigration without a backup: refused, since data would be lost' {
        try {
            $null = $sandbox | Undo-OmegaMigration -Path $migrations -Count 1 -Confirm:$false -WarningAction SilentlyContinue
            throw 'The undo was not refused.'
        }
        catch [System.Management.Automation.RuntimeException] {
            if ($_.FullyQualifiedErrorId -notlike 'OmegaDb.UndoWouldLoseData*') { throw }
            "refused ($($_.FullyQualifiedErrorId.Split(',')[0]))"
        }
    }

    Step 'Backup of the sandbox, then Undo-OmegaMigration -Backup: the down section runs' {
        $sandboxBackup = $sandbox | Backup-OmegaDatabase -Path $backups
        $undone = $sandbox | Undo-OmegaMigration -Path $migrations -Count 1 -Backup $sandboxBackup -Confirm:$false -WarningAction SilentlyContinue
        $undone | Show -Property Version, Name, Status, Duration
        $left = (Get-OmegaSchema $sandbox).GetTable('public.user_profiles').Columns.Name -join ', '
        "$($undone.Status) with backup $([IO.Path]::GetFileName($sandboxBackup.Path)); user_profiles columns now: $left"
    }

    Step 'Remove-OmegaSandbox: stop both clusters and delete their files' {
        $sandbox | Remove-OmegaSandbox
        $prodBox | Remove-OmegaSandbox
        "removed; data directories left: $(@(@($sandbox.DataDirectory, $prodBox.DataDirectory) | Where-Object { $_ -and (Test-Path $_) }).Count)"
    }
}
finally {
    foreach ($box in @($sandbox, $prodBox)) {
        if ($box -and $box.Status -ne 'Removed') { $box | Remove-OmegaSandbox -ErrorAction SilentlyContinue }
    }
    if ($ownWork) { Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore }
}

Write-Host "`nSummary" -ForegroundColor Green
$steps | Format-Table Seconds, Step -AutoSize -Wrap | Out-String -Width 200 | Write-Host
if ($PassThru) { $steps }
