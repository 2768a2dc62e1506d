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

# The manifest names each exported cmdlet; this only passes them through.
Export-ModuleMember -Cmdlet *
