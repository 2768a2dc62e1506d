BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
}

Describe 'The module package' {
    It 'is accepted by Install-PSResource from a local file repository and imports by name' {
        $env:OMEGADB_PACKAGE_DIRECTORY | Should -Exist
        $nupkg = Get-ChildItem $env:OMEGADB_PACKAGE_DIRECTORY -Filter 'OmegaDb.*.nupkg'
        $nupkg | Should -HaveCount 1

        # A throwaway HOME, so that the repository registration and the CurrentUser install
        # land in a temporary folder and not in the developer's own.
        $installHome = Join-Path ([IO.Path]::GetTempPath()) "omegadb-install-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory $installHome | Out-Null
        try {
            $output = Invoke-ChildPwsh -Environment @{ HOME = $installHome; XDG_CONFIG_HOME = $null; XDG_DATA_HOME = $null; PSModulePath = $null } -Script @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name OmegaDbLocal -Uri '$($env:OMEGADB_PACKAGE_DIRECTORY)' -Trusted
Install-PSResource -Name OmegaDb -Repository OmegaDbLocal -Scope CurrentUser -TrustRepository
Import-Module OmegaDb
`$m = Get-Module OmegaDb
"BASE=`$(`$m.ModuleBase)"
"VERSION=`$(`$m.Version)"
"COMMANDS=`$((Get-Command -Module OmegaDb | Sort-Object Name).Name -join ',')"
`$box = New-OmegaSandbox
"SERVER=`$((Connect-OmegaDatabase `$box.GetConnectionUri()).ServerVersion)"
`$box | Remove-OmegaSandbox
"@
            $output | Should -Match ([regex]::Escape("BASE=$installHome"))
            $output | Should -Match 'VERSION=\d+\.\d+\.\d+'
            $expected = ((Import-PowerShellDataFile $env:OMEGADB_MODULE_PATH).CmdletsToExport | Sort-Object) -join ','
            $output | Should -Match ([regex]::Escape("COMMANDS=$expected"))
            $output | Should -Match 'SERVER=\d+\.\d+'
        }
        finally { Remove-Item $installHome -Recurse -Force -ErrorAction SilentlyContinue }
    }
}
