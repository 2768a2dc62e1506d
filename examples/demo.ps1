<#
.SYNOPSIS
    The OmegaDb demo: the runbook's user_profiles change, rehearsed on a sandbox and applied
    to a production stand-in through the production gate, with an account of each step.
    `./build.ps1 demo` runs it against the built module.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/OmegaDb/OmegaDb.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force

$steps = [System.Collections.Generic.List[object]]::new()
function Step([string] $What, [scriptblock] $Action) {
    Write-Host "`n>> $What" -ForegroundColor Cyan
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $result = & $Action
    $watch.Stop()
    $steps.Add([pscustomobject]@{ Step = $What; Seconds = [math]::Round($watch.Elapsed.TotalSeconds, 2) })
    Write-Host ("   done in {0:0.00} s" -f $watch.Elapsed.TotalSeconds) -ForegroundColor DarkGray
    return $result
}

$box = $null
$scratch = [System.Collections.Generic.List[object]]::new()
$migrations = Join-Path $PSScriptRoot 'migrations'
$expected = Join-Path $PSScriptRoot 'expected-schema.psd1'
# Rehearsals are recorded beside the migrations by default; the demo keeps its own elsewhere.
$rehearsals = Join-Path ([IO.Path]::GetTempPath()) "omegadb-demo-$PID/rehearsals.json"
try {
    $box = Step 'New-OmegaSandbox: start a throwaway PostgreSQL on a free loopback port' {
        New-OmegaSandbox -Name omega-demo
    }
    $box | Format-Table | Out-String | Write-Host
    Write-Host "   engine $($box.Engine), data directory $($box.DataDirectory)"
    Write-Host "   printed, the sandbox is a redacted URI: $box"

    $prod = Step 'A production stand-in: a database on that server, connected with -Environment Production' {
        $db = New-OmegaSandbox -Engine Server -Server $box
        $scratch.Add($db)
        Connect-OmegaDatabase $db.GetConnectionUri() -Name production -Environment Production
    }
    Write-Host "   $($prod.Name): PostgreSQL $($prod.ServerVersion), environment $($prod.Environment)"

    $rehearsal = Step 'New-OmegaSandbox -Engine Server: the parallel database to rehearse on' {
        $db = New-OmegaSandbox -Engine Server -Server $box
        $scratch.Add($db)
        $db
    }
    Write-Host "   sandbox $($rehearsal.Name) (database $($rehearsal.Database)); same empty schema as production: $((Get-OmegaSchema $rehearsal).Fingerprint -eq (Get-OmegaSchema $prod).Fingerprint)"

    Step 'Bring production to its baseline (migration 1), rehearsed first as the gate requires' {
        $rehearsal | Invoke-OmegaMigration -Path $migrations -To 1 -RehearsalPath $rehearsals | Out-Null
        $prod | Invoke-OmegaMigration -Path $migrations -To 1 -RehearsalPath $rehearsals -Verbose 4>&1 |
            ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -like 'Production gate*') { Write-Host "   $($_.Message)" } } else { $_ } } |
            Format-Table Version, Name, Status, Duration, Verify | Out-String | Write-Host
    } | Out-Null

    Step 'Get-OmegaMigration: what production has, and what is pending' {
        $prod | Get-OmegaMigration $migrations | Format-Table Version, Name, Status, AppliedAt | Out-String | Write-Host
    } | Out-Null

    Step 'Invoke-OmegaMigration on production before any rehearsal of migration 2: the gate refuses' {
        try { $prod | Invoke-OmegaMigration -Path $migrations -RehearsalPath $rehearsals | Out-Null; Write-Host '   (not refused?)' }
        catch { Write-Host "   refused: $($_.FullyQualifiedErrorId.Split(',')[0]): $($_.Exception.Message.Substring(0, [Math]::Min(200, $_.Exception.Message.Length)))..." }
    } | Out-Null

    Step 'Dry run on the sandbox, piped into Test-OmegaSchema -Expect examples/expected-schema.psd1' {
        $dry = $rehearsal | Invoke-OmegaMigration -Path $migrations -DryRun -RehearsalPath $rehearsals
        $dry | Format-Table Version, Name, Status, Duration, Verify, @{ n = 'Changes'; e = { $_.Changes.Count } } | Out-String | Write-Host
        $dry | Test-OmegaSchema -Expect $expected | Format-Table Passed, Assertion, Actual | Out-String -Width 160 | Write-Host
        Write-Host "   after the dry run the sandbox still has only migration 1: $(@($rehearsal | Get-OmegaMigration $migrations -Status Applied).Count -eq 1)"
    } | Out-Null

    Step 'The rehearsal: migration 2 on the sandbox, recorded' {
        $run = $rehearsal | Invoke-OmegaMigration -Path $migrations -RehearsalPath $rehearsals
        $run | Format-Table Version, Name, Status, Duration, Verify | Out-String | Write-Host
        Write-Host "   locks it took: $(($run.Locks | ForEach-Object { "$($_.Mode) on $($_.Relation)" }) -join '; ')"
        Write-Host "   tables it rewrote: $(if ($run.RewrittenTables) { $run.RewrittenTables -join ', ' } else { 'none' })"
    } | Out-Null

    Step 'Production: the same migration, now that it was rehearsed from the same schema' {
        $prod | Invoke-OmegaMigration -Path $migrations -RehearsalPath $rehearsals -Verbose 4>&1 |
            ForEach-Object { if ($_ -is [System.Management.Automation.VerboseRecord]) { if ($_.Message -like 'Production gate*') { Write-Host "   $($_.Message)" } } else { $_ } } |
            Format-Table Version, Name, Status, Duration, Verify | Out-String | Write-Host
        Write-Host "   production matches the expected schema: $(Test-OmegaSchema -Database $prod -Expect $expected -Quiet)"
    } | Out-Null

    Step 'Get-OmegaIndexUsage: the new indexes on production' {
        $prod | Get-OmegaIndexUsage -Table user_profiles | Format-Table | Out-String -Width 160 | Write-Host
    } | Out-Null

    Step 'Remove-OmegaSandbox: drop the scratch databases, stop the server, delete its files' {
        $scratch | Remove-OmegaSandbox
        $box | Remove-OmegaSandbox
    } | Out-Null
    $left = @(Get-OmegaSandbox -ErrorAction SilentlyContinue | Where-Object Name -eq 'omega-demo')
    Write-Host "   sandboxes named omega-demo left: $($left.Count); data directory exists: $(Test-Path $box.DataDirectory)"
}
finally {
    $scratch | Where-Object { $_.Status -ne 'Removed' } | Remove-OmegaSandbox -ErrorAction SilentlyContinue
    if ($box -and $box.Status -ne 'Removed') { $box | Remove-OmegaSandbox }
    Remove-Item -LiteralPath (Split-Path $rehearsals) -Recurse -Force -ErrorAction Ignore
}

Write-Host "`nSummary" -ForegroundColor Green
$steps | Format-Table Seconds, Step -AutoSize -Wrap | Out-String -Width 200 | Write-Host
