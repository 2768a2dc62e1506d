<#
.SYNOPSIS
    The OmegaDb demo: a disposable PostgreSQL, a connection to it, a scratch database, and
    cleanup, with an account of each step. `./build.ps1 demo` runs it against the built module.
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
try {
    $box = Step 'New-OmegaSandbox: start a throwaway PostgreSQL on a free loopback port' {
        New-OmegaSandbox -Name omega-demo
    }
    $box | Format-Table | Out-String | Write-Host
    Write-Host "   engine $($box.Engine), data directory $($box.DataDirectory)"
    Write-Host "   printed, the sandbox is a redacted URI: $box"

    $db = Step 'Connect-OmegaDatabase: connect with the full URI from GetConnectionUri()' {
        Connect-OmegaDatabase $box.GetConnectionUri() -Name demo-connection
    }
    Write-Host "   connected to $($db.Name): PostgreSQL $($db.ServerVersion) as $($db.User)"

    $scratch = Step 'New-OmegaSandbox -Engine Server: a scratch database on that server' {
        New-OmegaSandbox -Engine Server -Server $db
    }
    Write-Host "   created database $($scratch.Database) on $($scratch.Host):$($scratch.Port)"

    Step 'Get-OmegaSandbox: what this machine has now' {
        Get-OmegaSandbox | Format-Table Name, Engine, Status, Port, Database | Out-String | Write-Host
    } | Out-Null

    Step 'Remove-OmegaSandbox: drop the scratch database, stop the server, delete its files' {
        $scratch, $box | Remove-OmegaSandbox
    } | Out-Null
    $left = @(Get-OmegaSandbox -ErrorAction SilentlyContinue | Where-Object Name -eq 'omega-demo')
    Write-Host "   sandboxes named omega-demo left: $($left.Count); data directory exists: $(Test-Path $box.DataDirectory)"
}
finally {
    if ($box -and $box.Status -ne 'Removed') { $box | Remove-OmegaSandbox }
}

Write-Host "`nSummary" -ForegroundColor Green
$steps | Format-Table Seconds, Step -AutoSize -Wrap | Out-String -Width 200 | Write-Host
