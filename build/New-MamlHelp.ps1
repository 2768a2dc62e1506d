<#
.SYNOPSIS
    Writes en-US/OmegaDb.dll-Help.xml (MAML) for the built module.
.DESCRIPTION
    Prose lives in module/help/<Cmdlet>.psd1 (Synopsis, Description, Parameters, Examples,
    Notes); the syntax, types, positions and pipeline input come from the compiled cmdlets
    themselves, so the help cannot drift from the code. A cmdlet without a help file, a
    parameter without a description or a cmdlet without an example fails the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $HelpSource
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$module = Import-Module (Join-Path $ModulePath 'OmegaDb.psd1') -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
$problems = [System.Collections.Generic.List[string]]::new()

function Esc([string] $text) { [System.Security.SecurityElement]::Escape($text) }

function Paras([string] $text) {
    ($text -split "(\r?\n){2,}" | Where-Object { $_.Trim() } | ForEach-Object { "<maml:para>$(Esc $_.Trim())</maml:para>" }) -join ''
}

function PipelineInput($p) {
    $kinds = @()
    if ($p.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($p.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

function ParameterXml($name, $metadata, $attribute, [string] $description, [string] $defaultValue) {
    $type = $metadata.ParameterType
    $typeName = if ($type -eq [System.Management.Automation.SwitchParameter]) { 'SwitchParameter' } else { $type.Name }
    $position = if ($attribute.Position -ge 0) { $attribute.Position } else { 'named' }
    $globbing = [bool]($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $aliases = if ($metadata.Aliases.Count) { $metadata.Aliases -join ', ' } else { 'none' }
    $values = ($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues)
    if (-not $values -and $type.IsEnum) { $values = [Enum]::GetNames($type) }
    $valueXml = if ($values) { '<command:parameterValueGroup>' + (($values | ForEach-Object { "<command:parameterValue required=`"false`" variableLength=`"false`">$(Esc $_)</command:parameterValue>" }) -join '') + '</command:parameterValueGroup>' } else { '' }
@"
<command:parameter required="$($attribute.Mandatory.ToString().ToLower())" variableLength="$($type.IsArray.ToString().ToLower())" globbing="$($globbing.ToString().ToLower())" pipelineInput="$(PipelineInput $attribute)" position="$position" aliases="$(Esc $aliases)">
  <maml:name>$name</maml:name>
  <maml:description>$(Paras $description)</maml:description>
  $valueXml
  <command:parameterValue required="$((-not ($type -eq [System.Management.Automation.SwitchParameter])).ToString().ToLower())" variableLength="$($type.IsArray.ToString().ToLower())">$typeName</command:parameterValue>
  <dev:type><maml:name>$($type.FullName)</maml:name><maml:uri /></dev:type>
  <dev:defaultValue>$(Esc $defaultValue)</dev:defaultValue>
</command:parameter>
"@
}

$commands = foreach ($command in Get-Command -Module OmegaDb -CommandType Cmdlet | Sort-Object Name) {
    $sourceFile = Join-Path $HelpSource "$($command.Name).psd1"
    if (-not (Test-Path $sourceFile)) { $problems.Add("$($command.Name): no help file $sourceFile"); continue }
    $help = Import-PowerShellDataFile $sourceFile
    $parameterHelp = if ($help.ContainsKey('Parameters')) { $help.Parameters } else { @{} }
    $defaults = if ($help.ContainsKey('Defaults')) { $help.Defaults } else { @{} }

    $own = $command.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $own) {
        if (-not $parameterHelp.ContainsKey($p.Name)) { $problems.Add("$($command.Name): parameter -$($p.Name) has no description") }
    }
    foreach ($name in $parameterHelp.Keys) {
        if ($name -notin $own.Name) { $problems.Add("$($command.Name): help describes -$name, which the cmdlet does not have") }
    }
    if (-not $help.Examples) { $problems.Add("$($command.Name): no example") }

    $syntax = foreach ($set in $command.ParameterSets) {
        $items = foreach ($p in $set.Parameters | Where-Object { $_.Name -notin $common }) {
            $meta = $command.Parameters[$p.Name]
            $attr = $meta.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ParameterSetName -eq $set.Name -or $_.ParameterSetName -eq '__AllParameterSets') } | Select-Object -First 1
            ParameterXml $p.Name $meta $attr $parameterHelp[$p.Name] $defaults[$p.Name]
        }
        "<command:syntaxItem><maml:name>$($command.Name)</maml:name>$($items -join '')</command:syntaxItem>"
    }

    $parameters = foreach ($p in $own | Sort-Object Name) {
        $attr = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } | Select-Object -First 1
        ParameterXml $p.Name $p $attr $parameterHelp[$p.Name] $defaults[$p.Name]
    }

    $inputs = @($own | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) } } |
        ForEach-Object { $_.ParameterType.FullName } | Sort-Object -Unique)
    $outputs = @($command.OutputType | ForEach-Object Name | Sort-Object -Unique)

    $i = 0
    $examples = foreach ($example in $help.Examples) {
        $i++
        "<command:example><maml:title>-------------------------- Example ${i}: $(Esc $example.Title) --------------------------</maml:title><dev:code>$(Esc $example.Code.Trim())</dev:code><dev:remarks>$(Paras $example.Remarks)</dev:remarks></command:example>"
    }

    $verb, $noun = $command.Name -split '-', 2
    $notes = if ($help.ContainsKey('Notes')) { "<maml:alertSet><maml:alert>$(Paras $help.Notes)</maml:alert></maml:alertSet>" } else { '' }
@"
<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" xmlns:MSHelp="http://msdn.microsoft.com/mshelp">
<command:details>
  <command:name>$($command.Name)</command:name>
  <command:verb>$verb</command:verb>
  <command:noun>$noun</command:noun>
  <maml:description>$(Paras $help.Synopsis)</maml:description>
</command:details>
<maml:description>$(Paras $help.Description)</maml:description>
<command:syntax>$($syntax -join '')</command:syntax>
<command:parameters>$($parameters -join '')</command:parameters>
<command:inputTypes>$(($inputs | ForEach-Object { "<command:inputType><dev:type><maml:name>$_</maml:name></dev:type><maml:description><maml:para /></maml:description></command:inputType>" }) -join '')</command:inputTypes>
<command:returnValues>$(($outputs | ForEach-Object { "<command:returnValue><dev:type><maml:name>$_</maml:name></dev:type><maml:description><maml:para /></maml:description></command:returnValue>" }) -join '')</command:returnValues>
$notes
<command:examples>$($examples -join '')</command:examples>
<command:relatedLinks>$((@($help.Related) | Where-Object { $_ } | ForEach-Object { "<maml:navigationLink><maml:linkText>$_</maml:linkText><maml:uri /></maml:navigationLink>" }) -join '')</command:relatedLinks>
</command:command>
"@
}

if ($problems.Count) {
    $problems | ForEach-Object { Write-Host "help: $_" -ForegroundColor Red }
    exit 1
}

$dir = New-Item -ItemType Directory (Join-Path $ModulePath 'en-US') -Force
$xml = "<?xml version=`"1.0`" encoding=`"utf-8`"?>`n<helpItems schema=`"maml`" xmlns=`"http://msh`">`n$($commands -join "`n")`n</helpItems>`n"
[xml] $xml | Out-Null  # fail here, not in Get-Help, when the XML is malformed
Set-Content -Path (Join-Path $dir 'OmegaDb.dll-Help.xml') -Value $xml -Encoding utf8NoBOM
Copy-Item (Join-Path $HelpSource 'about_OmegaDb.help.txt') $dir -ErrorAction SilentlyContinue
