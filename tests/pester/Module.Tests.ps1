BeforeDiscovery {
    $script:cmdlets = (Import-PowerShellDataFile $env:OMEGADB_MODULE_PATH).CmdletsToExport
}

BeforeAll {
    $script:manifest = Import-PowerShellDataFile $env:OMEGADB_MODULE_PATH
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'The module manifest' {
    It 'lists every cmdlet by name, without wildcards' {
        $manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        $manifest.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets it lists' {
        $exported = (Get-Module OmegaDb).ExportedCmdlets.Keys | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'targets PowerShell 7.4 and later' {
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
    }
}

Describe '<_>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command $_
        $help = Get-Help $_ -Full
    }

    It 'is a sealed compiled cmdlet' {
        $command.CommandType | Should -Be 'Cmdlet'
        $command.ImplementingType.IsSealed | Should -BeTrue
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($_))\s"
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $p = $help.Parameters.Parameter | Where-Object Name -eq $name
            $p | Should -Not -BeNullOrEmpty -Because "-$name should be in the help"
            ($p.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$name should be described"
        }
    }

    It 'has at least one example with code' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        $help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'supports -WhatIf when it changes something' {
        if ($_ -match '^(New|Remove)-') {
            $command.Parameters.Keys | Should -Contain 'WhatIf'
            $command.Parameters.Keys | Should -Contain 'Confirm'
        }
    }
}

Describe 'Default views' {
    It 'has a table view for <_>' -ForEach 'OmegaDb.OmegaDatabase', 'OmegaDb.OmegaSandbox' {
        $view = Get-FormatData -TypeName $_
        $view | Should -Not -BeNullOrEmpty
        $view.FormatViewDefinition.Control | Should -BeOfType [System.Management.Automation.TableControl]
    }

    It 'makes the public types visible to scripts' {
        [OmegaDb.OmegaDatabase] | Should -Not -BeNullOrEmpty
        [OmegaDb.OmegaSandbox].BaseType | Should -Be ([OmegaDb.OmegaDatabase])
    }
}
