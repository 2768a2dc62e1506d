BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'Npgsql and its dependencies load in the module''s own AssemblyLoadContext' {
    It 'works in a session that already loaded another version of Microsoft.Extensions.Logging.Abstractions' {
        $env:OMEGADB_OLD_LOGGING_ABSTRACTIONS | Should -Exist
        $output = Invoke-ChildPwsh -Script @"
`$ErrorActionPreference = 'Stop'
# Another module got there first with an old version, in the default context.
`$old = [System.Reflection.Assembly]::LoadFrom('$env:OMEGADB_OLD_LOGGING_ABSTRACTIONS')
Import-Module '$env:OMEGADB_MODULE_PATH'
`$box = New-OmegaSandbox
try {
    `$db = Connect-OmegaDatabase `$box.GetConnectionUri()
    `$loaded = [AppDomain]::CurrentDomain.GetAssemblies() |
        Where-Object { `$_.GetName().Name -in 'Microsoft.Extensions.Logging.Abstractions', 'Npgsql', 'OmegaDb.Engine' } |
        ForEach-Object { '{0}|{1}|{2}' -f `$_.GetName().Name, `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
    `$loaded | ForEach-Object { "ASSEMBLY `$_" }
    "SERVER `$(`$db.ServerVersion)"
}
finally { `$box | Remove-OmegaSandbox }
"@
        $output | Should -Match 'SERVER \d+\.\d+'
        $lines = $output -split "`n" | Where-Object { $_ -like 'ASSEMBLY *' }
        $lines | Should -Contain 'ASSEMBLY Microsoft.Extensions.Logging.Abstractions|2.1.0.0|Default'
        ($lines | Where-Object { $_ -match '^ASSEMBLY Microsoft.Extensions.Logging.Abstractions\|(\d+)\..*\|OmegaDb$' }) | Should -Not -BeNullOrEmpty
        [int]($Matches[1]) | Should -BeGreaterOrEqual 8
        $lines | Where-Object { $_ -match '^ASSEMBLY Npgsql\|.*\|OmegaDb$' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -match '^ASSEMBLY OmegaDb.Engine\|.*\|OmegaDb$' } | Should -Not -BeNullOrEmpty
    }
}
