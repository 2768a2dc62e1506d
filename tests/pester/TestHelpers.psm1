# Helpers shared by the Pester files: child PowerShell processes, psql against a sandbox,
# and the sandbox's password for the tests that prove it never leaks.

function Get-PwshCommand {
    # Under `dotnet pwsh` the process is dotnet itself; pwsh.dll lives in $PSHOME.
    $dll = Join-Path $PSHOME 'pwsh.dll'
    if (Test-Path $dll) { return @([Environment]::ProcessPath, $dll) }
    return @([Environment]::ProcessPath)
}

function Invoke-ChildPwsh {
    <# Runs a script in a new pwsh process; returns its combined output as one string. #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [switch] $AllowFailure
    )
    $command = Get-PwshCommand
    $file = Join-Path ([IO.Path]::GetTempPath()) "omegadb-child-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content $file $Script
    $saved = @{}
    try {
        foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); Set-EnvironmentVariable $k $Environment[$k] }
        $exe = $command[0]; $rest = @($command | Select-Object -Skip 1)
        $output = & $exe @rest -NoProfile -NonInteractive -File $file 2>&1 | Out-String
        if ($LASTEXITCODE -ne 0 -and -not $AllowFailure) { throw "child pwsh exited with $LASTEXITCODE`n$output" }
        return $output
    }
    finally {
        foreach ($k in $saved.Keys) { Set-EnvironmentVariable $k $saved[$k] }
        Remove-Item $file -ErrorAction SilentlyContinue
    }
}

function Start-ChildPwsh {
    <# Starts a pwsh process in the background; returns the Process. #>
    param([Parameter(Mandatory)] [string] $Script, [string] $OutputFile)
    $command = Get-PwshCommand
    $file = Join-Path ([IO.Path]::GetTempPath()) "omegadb-child-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content $file $Script
    $start = [Diagnostics.ProcessStartInfo]::new($command[0])
    foreach ($a in @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    return [Diagnostics.Process]::Start($start)
}

function Get-TestPassword {
    <# The password inside a database's full URI. #>
    param([Parameter(Mandatory)] $Database)
    $userInfo = ([Uri] $Database.GetConnectionUri()).UserInfo
    return [Uri]::UnescapeDataString($userInfo.Substring($userInfo.IndexOf(':') + 1))
}

function Get-PsqlPath {
    $candidates = @(Get-Command psql -ErrorAction SilentlyContinue | ForEach-Object Source) +
        @(Get-ChildItem /usr/lib/postgresql/*/bin/psql -ErrorAction SilentlyContinue | Sort-Object FullName -Descending | ForEach-Object FullName)
    if (-not $candidates) { throw 'psql was not found' }
    return $candidates[0]
}

function Invoke-TestSql {
    <# Runs SQL with psql; the password travels in PGPASSWORD, never on the command line. #>
    param([Parameter(Mandatory)] $Database, [Parameter(Mandatory)] [string] $Sql, [string] $DatabaseName)
    $saved = $env:PGPASSWORD
    try {
        $env:PGPASSWORD = Get-TestPassword $Database
        $db = if ($DatabaseName) { $DatabaseName } else { $Database.Database }
        # SQL on stdin, so that a password in it never reaches a command line either.
        $out = $Sql | & (Get-PsqlPath) -h $Database.Host -p $Database.Port -U $Database.User -d $db -v ON_ERROR_STOP=1 -At -f - 2>&1
        if ($LASTEXITCODE -ne 0) { throw "psql failed: $out" }
        return $out
    }
    finally { $env:PGPASSWORD = $saved }
}

function Test-PortOpen {
    param([int] $Port)
    $client = [Net.Sockets.TcpClient]::new()
    try { $client.Connect('127.0.0.1', $Port); return $true } catch { return $false } finally { $client.Dispose() }
}

function Test-ProcessAlive {
    <# A zombie (dead, not yet reaped by PID 1) counts as gone: it runs nothing and holds no port. #>
    param([int] $ProcessId)
    $stat = "/proc/$ProcessId/stat"
    if (-not (Test-Path $stat)) { return $false }
    $text = Get-Content $stat -Raw -ErrorAction SilentlyContinue
    if (-not $text) { return $false }
    $state = $text.Substring($text.LastIndexOf(')') + 2, 1)
    return $state -notin 'Z', 'X'
}

function Set-EnvironmentVariable {
    <# Sets or, for $null, removes a variable ([Environment]::SetEnvironmentVariable would get '' from PowerShell). #>
    param([string] $Name, [AllowNull()] [string] $Value)
    if ($null -eq $Value -or $Value -eq '') { Remove-Item "env:$Name" -ErrorAction SilentlyContinue }
    else { Set-Item "env:$Name" $Value }
}

function Get-PostmasterPid {
    param([Parameter(Mandatory)] [string] $DataDirectory)
    $file = Join-Path $DataDirectory 'postmaster.pid'
    if (Test-Path $file) { return [int] (Get-Content $file -TotalCount 1) }
    return $null
}


function New-ScratchDatabase {
    <# A fresh database on $Server's server (the Server engine), added to $Track for cleanup, then seeded with $Sql. #>
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [AllowEmptyCollection()] [Collections.Generic.List[object]] $Track, [string] $Sql)
    $db = New-OmegaSandbox -Engine Server -Server $Server
    $Track.Add($db)
    if ($Sql) { Invoke-TestSql $db $Sql | Out-Null }
    $db
}

function New-MigrationFolder {
    <# A migrations folder under $Root from a hashtable of file name => content. #>
    param([Parameter(Mandatory)] [string] $Root, [Parameter(Mandatory)] [string] $Name, [hashtable] $Files = @{})
    $folder = Join-Path $Root $Name
    New-Item -ItemType Directory -Path $folder -Force | Out-Null
    foreach ($file in $Files.Keys) { Set-Content -LiteralPath (Join-Path $folder $file) -Value $Files[$file] -NoNewline }
    $folder
}

function Invoke-Collecting {
    <#
        Runs a command (Invoke-OmegaMigration), keeping what it wrote before a terminating
        error: results, warnings, warnings and verbose messages together, and the error.
    #>
    param([Parameter(Mandatory)] [scriptblock] $Run)
    $results = [Collections.Generic.List[object]]::new()
    $warnings = [Collections.Generic.List[string]]::new()
    $messages = [Collections.Generic.List[string]]::new()
    $caught = $null
    try {
        & $Run 3>&1 4>&1 | ForEach-Object {
            if ($_ -is [Management.Automation.WarningRecord]) { $warnings.Add($_.Message); $messages.Add($_.Message) }
            elseif ($_ -is [Management.Automation.VerboseRecord]) { $messages.Add($_.Message) }
            else { $results.Add($_) }
        }
    }
    catch { $caught = $_ }
    [pscustomobject]@{ Results = $results; Warnings = $warnings; Messages = $messages; Error = $caught }
}

Export-ModuleMember -Function *
