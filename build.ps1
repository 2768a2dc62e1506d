#!/usr/bin/env pwsh
<#
.SYNOPSIS
    The one entry point for OmegaDb: build | test | demo | bench | package | clean.
.DESCRIPTION
    build    assembles an importable module at out/OmegaDb (cmdlets, engine and Npgsql in
             out/OmegaDb/dependencies, format files, help).
    test     builds, runs the xunit tests and the Pester tests, and ends with one line
             "N passed, N failed, N skipped" over both; exits non-zero on any failure.
    demo     builds and runs examples/rehearse.ps1: the runbook end to end.
    bench    builds and runs bench/Invoke-Benchmark.ps1 (ratios against the manual tools).
    package  builds and writes out/packages/OmegaDb.<version>.nupkg for Install-PSResource.
    clean    removes out/ and every bin/ and obj/ folder.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'bench', 'package', 'clean')]
    [string] $Task = 'build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Passed to Invoke-Pester as its Path filter, and to dotnet test as --filter.
    [string] $PesterPath,
    [string] $XunitFilter,
    [switch] $SkipXunit,
    [switch] $SkipPester
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'OmegaDb'

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $publish = Join-Path $Out 'publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    Write-Host "Building OmegaDb ($Configuration)..."
    Invoke-Native 'dotnet publish' {
        dotnet publish (Join-Path $Root 'src/OmegaDb/OmegaDb.csproj') -c $Configuration -o $publish --nologo -v quiet -p:GenerateDocumentationFile=false
    }

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'dependencies') -Force
    # Only the cmdlets and the public types sit beside the manifest; the engine and everything
    # it needs load in the module's own AssemblyLoadContext from dependencies/.
    Get-ChildItem $publish -Force | ForEach-Object {
        if ($_.Name -in 'OmegaDb.dll', 'OmegaDb.pdb', 'OmegaDb.Model.dll', 'OmegaDb.Model.pdb') {
            Copy-Item $_.FullName $ModuleOut
        }
        elseif ($_.Name -notlike 'OmegaDb.deps.json' -and $_.Name -notlike 'System.Management.Automation*') {
            Copy-Item $_.FullName $dependencies -Recurse
        }
    }

    Copy-Item (Join-Path $Root 'OmegaDb.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'module/*.psm1') $ModuleOut
    Copy-Item (Join-Path $Root 'module/*.ps1xml') $ModuleOut
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    Remove-Item $publish -Recurse -Force

    Write-Host 'Generating help...'
    Invoke-Native 'help generation' {
        dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/New-MamlHelp.ps1') -ModulePath $ModuleOut -HelpSource (Join-Path $Root 'module/help')
    }
    Write-Host "Module ready: $(Join-Path $ModuleOut 'OmegaDb.psd1')"
}

function Restore-TestTools {
    Invoke-Native 'restoring test tools' {
        dotnet restore (Join-Path $Root 'build/TestTools.proj') --nologo -v quiet
    }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    return $packages
}

function Get-TrxCounts([string] $Directory) {
    $counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($file in Get-ChildItem $Directory -Filter *.trx -ErrorAction SilentlyContinue) {
        [xml] $trx = Get-Content $file.FullName -Raw
        # Counted from the results themselves: vstest's Counters leave xunit's skips out.
        $all = @($trx.TestRun.Results.UnitTestResult | Where-Object { $_ })
        $counts.Passed += @($all | Where-Object outcome -eq 'Passed').Count
        $counts.Failed += @($all | Where-Object outcome -notin 'Passed', 'NotExecuted').Count
        $counts.Skipped += @($all | Where-Object outcome -eq 'NotExecuted').Count
        # A skip is reported as a skip, with its reason, never folded into the passes.
        foreach ($r in @($trx.TestRun.Results.UnitTestResult) | Where-Object { $_ -and $_.outcome -eq 'NotExecuted' }) {
            $reason = if ($r.Output -and $r.Output.ErrorInfo) { $r.Output.ErrorInfo.Message } else { 'no reason given' }
            Write-Host "SKIPPED $($r.testName): $reason" -ForegroundColor Yellow
        }
    }
    return $counts
}

function Invoke-Test {
    Invoke-Build
    # The Pester tests install this package the way users would.
    Invoke-Package
    $env:OMEGADB_PACKAGE_DIRECTORY = Join-Path $Out 'packages'
    $packages = Restore-TestTools
    $env:OMEGADB_PESTER_MODULE = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    $env:OMEGADB_OLD_LOGGING_ABSTRACTIONS = Join-Path $packages 'microsoft.extensions.logging.abstractions/2.1.0/lib/netstandard2.0/Microsoft.Extensions.Logging.Abstractions.dll'

    # Every sandbox the tests make lives under a root of their own, so that a leak shows up
    # as a non-empty folder at the end and a developer's own sandboxes are never touched.
    $sandboxRoot = Join-Path ([IO.Path]::GetTempPath()) "omegadb-tests-$PID/sandboxes"
    $env:OMEGADB_SANDBOX_ROOT = $sandboxRoot

    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    New-Item -ItemType Directory $results -Force | Out-Null

    $total = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $problems = [System.Collections.Generic.List[string]]::new()

    if (-not $SkipXunit) {
        Write-Host "`n== xunit =="
        $testArgs = @('test', (Join-Path $Root 'tests/OmegaDb.Engine.Tests/OmegaDb.Engine.Tests.csproj'), '-c', $Configuration, '--nologo',
            '--logger', 'trx;LogFileName=xunit.trx', '--logger', 'console;verbosity=normal', '--results-directory', $results)
        if ($XunitFilter) { $testArgs += @('--filter', $XunitFilter) }
        & dotnet @testArgs
        $xunitExit = $LASTEXITCODE
        $x = Get-TrxCounts $results
        if ($x.Passed + $x.Failed + $x.Skipped -eq 0) { $problems.Add("xunit produced no results (exit code $xunitExit)") }
        elseif ($xunitExit -ne 0 -and $x.Failed -eq 0) { $problems.Add("dotnet test exited with $xunitExit") }
        foreach ($k in @($total.Keys)) { $total[$k] += $x[$k] }
        Write-Host "xunit: $($x.Passed) passed, $($x.Failed) failed, $($x.Skipped) skipped"
    }

    if (-not $SkipPester) {
        Write-Host "`n== Pester =="
        $summary = Join-Path $results 'pester-summary.json'
        $pesterArgs = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/Invoke-PesterTests.ps1'),
            '-ModulePath', (Join-Path $ModuleOut 'OmegaDb.psd1'), '-SummaryPath', $summary)
        if ($PesterPath) { $pesterArgs += @('-TestPath', $PesterPath) }
        & dotnet pwsh @pesterArgs
        $pesterExit = $LASTEXITCODE
        if (Test-Path $summary) {
            $p = Get-Content $summary -Raw | ConvertFrom-Json
            $total.Passed += $p.Passed; $total.Failed += $p.Failed; $total.Skipped += $p.Skipped
            if ($pesterExit -ne 0 -and $p.Failed -eq 0) { $problems.Add("Pester exited with $pesterExit") }
        }
        else {
            $problems.Add("Pester wrote no summary (exit code $pesterExit)")
        }
    }

    $leftovers = @(Get-ChildItem $sandboxRoot -Directory -ErrorAction SilentlyContinue)
    if ($leftovers) {
        $names = $leftovers | ForEach-Object {
            $marker = Join-Path $_.FullName 'omega-sandbox.json'
            if (Test-Path $marker) { $m = Get-Content $marker -Raw | ConvertFrom-Json; "$($_.Name) ($($m.name), $($m.engine))" } else { "$($_.Name) (no marker)" }
        }
        $problems.Add("tests left $($leftovers.Count) sandbox(es) behind in ${sandboxRoot}: $($names -join ', ')")
        # Clean up anyway so that a failed run does not leave servers running.
        dotnet pwsh -NoProfile -NonInteractive -Command "Import-Module '$ModuleOut/OmegaDb.psd1'; Get-OmegaSandbox | Remove-OmegaSandbox -Force -Confirm:`$false"
    }
    Remove-Item (Split-Path $sandboxRoot) -Recurse -Force -ErrorAction SilentlyContinue

    foreach ($problem in $problems) { Write-Host "ERROR: $problem" -ForegroundColor Red }
    Write-Host ''
    Write-Host "$($total.Passed) passed, $($total.Failed) failed, $($total.Skipped) skipped"
    if ($total.Failed -gt 0 -or $problems.Count -gt 0) { exit 1 }
}

function Invoke-Package {
    # Packs what out/OmegaDb holds now; callers build first. Compress-PSResource needs no
    # registered repository, so the developer's PSResourceGet settings are left alone.
    $packages = Join-Path $Out 'packages'
    if (Test-Path $packages) { Remove-Item $packages -Recurse -Force }
    New-Item -ItemType Directory $packages -Force | Out-Null
    Compress-PSResource -Path $ModuleOut -DestinationPath $packages
    $nupkg = Get-ChildItem $packages -Filter *.nupkg | Select-Object -First 1
    if (-not $nupkg) { throw "Compress-PSResource wrote no package to $packages." }
    Write-Host "Package: $($nupkg.FullName)"
}

switch ($Task) {
    'build' { Invoke-Build }
    'test' { Invoke-Test }
    'demo' {
        Invoke-Build
        Invoke-Native 'demo' { dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'examples/rehearse.ps1') -ModulePath (Join-Path $ModuleOut 'OmegaDb.psd1') }
    }
    'bench' {
        Invoke-Build
        Invoke-Native 'bench' { dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'bench/Invoke-Benchmark.ps1') -ModulePath (Join-Path $ModuleOut 'OmegaDb.psd1') }
    }
    'package' { Invoke-Build; Invoke-Package }
    'clean' {
        foreach ($dir in @($Out) + @(Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Where-Object FullName -notlike "*$([IO.Path]::DirectorySeparatorChar).git*" | ForEach-Object FullName)) {
            if (Test-Path $dir) { Remove-Item $dir -Recurse -Force }
        }
        Write-Host 'Clean.'
    }
}
