# The script half of OmegaDb: what cannot live in the compiled cmdlets.

# The engine, Npgsql and their dependencies load in the module's own AssemblyLoadContext.
# The resolver that hands the engine to the cmdlets must be in place before PowerShell reads
# the cmdlet classes, whose attributes name engine types, so it is installed here, before
# the cmdlet assembly is imported.
[System.Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot 'OmegaDb.Model.dll')) | Out-Null
$cmdletAssembly = Join-Path $PSScriptRoot 'OmegaDb.dll'
[System.Reflection.Assembly]::LoadFrom($cmdletAssembly) | Out-Null
[OmegaDb.Commands.ModuleInitializer]::Install()
Import-Module $cmdletAssembly

# Sandboxes are disposable: the ones this session made go away with the module, as they do
# when the process exits.
$ExecutionContext.SessionState.Module.OnRemove = {
    [OmegaDb.Commands.ModuleLifetime]::OnRemove()
}

# The Pester assertion: $schema | Should -MatchOmegaSchema $expect. It takes what
# Test-OmegaSchema takes (a hashtable, a .psd1 or .json path, or a reference OmegaSchema) and
# an OmegaSchema, a migration result (its Schema) or a database as the actual value.
function Assert-OmegaSchemaMatch {
    param($ActualValue, $ExpectedValue, [switch] $Negate, [string] $Because, $CallerSessionState)

    $schema = $ActualValue
    if ($schema -is [System.Collections.IEnumerable] -and $schema -isnot [string]) {
        $items = @($schema)
        $schema = if ($items.Count -eq 1) { $items[0] } else { $items | Where-Object { $_.Schema } | Select-Object -Last 1 }
    }
    if ($null -ne $schema -and $schema -isnot [OmegaDb.OmegaSchema] -and $schema -isnot [OmegaDb.OmegaDatabase] -and
        $schema.PSObject.Properties['Schema'] -and $schema.Schema -is [OmegaDb.OmegaSchema]) {
        $schema = $schema.Schema
    }
    if ($schema -isnot [OmegaDb.OmegaSchema] -and $schema -isnot [OmegaDb.OmegaDatabase]) {
        $got = if ($null -eq $schema) { '$null' } else { $schema.GetType().FullName }
        return [pscustomobject]@{ Succeeded = $false; FailureMessage = "Expected an OmegaSchema, a migration result or an OmegaDatabase to match, but got $got." }
    }

    $arguments = @{}
    if ($ExpectedValue -is [OmegaDb.OmegaSchema]) { $arguments.Reference = $ExpectedValue } else { $arguments.Expect = $ExpectedValue }
    if ($schema -is [OmegaDb.OmegaSchema]) { $arguments.InputObject = $schema } else { $arguments.Database = $schema }
    $results = @(Test-OmegaSchema @arguments -ErrorAction Stop)
    $failed = @($results | Where-Object { -not $_.Passed })
    $succeeded = $failed.Count -eq 0
    if ($Negate) { $succeeded = -not $succeeded }
    if ($succeeded) { return [pscustomobject]@{ Succeeded = $true; FailureMessage = $null } }

    $because = if ($Because) { " because $($Because.TrimEnd('.'))," } else { '' }
    $message = if ($Negate) {
        "Expected the schema not to match,$because but all $($results.Count) assertions passed."
    }
    else {
        $lines = foreach ($f in $failed) { "  - $($f.Assertion): expected $($f.Expected), actual $($f.Actual)" }
        "Expected the schema to match,$because but $($failed.Count) of $($results.Count) assertions failed:`n" + ($lines -join "`n")
    }
    [pscustomobject]@{ Succeeded = $false; FailureMessage = $message }
}

# Registered only when Pester is already loaded: a test file imports Pester first, then OmegaDb.
if (Get-Command -Name Add-ShouldOperator -Module Pester -ErrorAction Ignore) {
    try {
        Add-ShouldOperator -Name MatchOmegaSchema -Test ${function:Assert-OmegaSchemaMatch} -SupportsArrayInput
    }
    catch {
        # Re-importing OmegaDb in the same session finds the operator already registered.
        Write-Verbose "Should -MatchOmegaSchema: $_"
    }
}

# -To completes the versions in the migrations folder given with -Path (or the current one).
$completeVersion = {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    $folder = if ($fakeBoundParameters.ContainsKey('Path')) { $fakeBoundParameters['Path'] } else { '.' }
    Get-ChildItem -LiteralPath $folder -Filter *.sql -File -ErrorAction Ignore |
        Where-Object { $_.Name -match '^(\d+)_(.+)\.sql$' } |
        ForEach-Object { [pscustomobject]@{ Version = [long]$Matches[1]; Name = $Matches[2] } } |
        Where-Object { "$($_.Version)" -like "$wordToComplete*" } |
        Sort-Object Version |
        ForEach-Object { [System.Management.Automation.CompletionResult]::new("$($_.Version)", "$($_.Version) $($_.Name)", 'ParameterValue', $_.Name) }
}
Register-ArgumentCompleter -CommandName Invoke-OmegaMigration, Undo-OmegaMigration -ParameterName To -ScriptBlock $completeVersion

# The manifest names each exported cmdlet; this only passes them through.
Export-ModuleMember -Cmdlet *
