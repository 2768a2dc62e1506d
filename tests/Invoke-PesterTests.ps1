<#
.SYNOPSIS
    Runs the Pester tests against the built module and writes a pass/fail/skip summary.
.DESCRIPTION
    Called by build.ps1 test in a process of its own, so that the module under test is
    imported fresh. Pester comes from NuGet (OMEGADB_PESTER_MODULE, set by build.ps1).
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [string[]] $TestPath = @(Join-Path $PSScriptRoot 'pester')
)

$ErrorActionPreference = 'Stop'
if (-not $env:OMEGADB_PESTER_MODULE -or -not (Test-Path $env:OMEGADB_PESTER_MODULE)) {
    throw 'OMEGADB_PESTER_MODULE does not point at Pester.psd1; run the tests through ./build.ps1 test.'
}
Import-Module $env:OMEGADB_PESTER_MODULE -MinimumVersion 5.5 -Force
$env:OMEGADB_MODULE_PATH = (Resolve-Path $ModulePath).Path

$config = New-PesterConfiguration
$config.Run.Path = $TestPath
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.StackTraceVerbosity = 'Filtered'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'JUnitXml'
$config.TestResult.OutputPath = Join-Path (Split-Path $SummaryPath) 'pester.xml'

$result = Invoke-Pester -Configuration $config
# Containers that failed to run (a broken BeforeAll, a syntax error) count as failures.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content $SummaryPath
Write-Host "Pester: $($result.PassedCount) passed, $failed failed, $($result.SkippedCount + $result.NotRunCount) skipped"
exit ([int]($failed -gt 0))
