BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    # One Local sandbox for this file; each Server-engine test gets a fresh database on it.
    $script:box = New-OmegaSandbox -Name pester-sandbox-host
}

AfterAll {
    $box | Remove-OmegaSandbox
}

Describe 'New-OmegaSandbox -Engine Local' {
    It 'starts a server on a loopback port with a random password' {
        $box.Engine | Should -Be 'Local'
        $box.Status | Should -Be 'Running'
        $box.Host | Should -Be '127.0.0.1'
        Test-PortOpen $box.Port | Should -BeTrue
        $box.ServerVersion | Should -Match '^\d+\.\d+'
        $box.DataDirectory | Should -Exist
        (Get-TestPassword $box).Length | Should -BeGreaterOrEqual 24
        Invoke-TestSql $box 'SELECT 1' | Should -Be '1'
    }

    It 'turns durability off and listens on loopback only' {
        Invoke-TestSql $box 'SHOW fsync' | Should -Be 'off'
        Invoke-TestSql $box 'SHOW full_page_writes' | Should -Be 'off'
        Invoke-TestSql $box 'SHOW synchronous_commit' | Should -Be 'off'
        Invoke-TestSql $box 'SHOW listen_addresses' | Should -Be '127.0.0.1,::1'
        Invoke-TestSql $box 'SHOW password_encryption' | Should -Be 'scram-sha-256'
    }

    It 'runs the server as an unprivileged account when root' -Skip:((id -u) -ne '0') {
        $postmaster = Get-PostmasterPid $box.DataDirectory
        (ps -o user= -p $postmaster).Trim() | Should -Not -Be 'root'
    }

    It 'is usable through Connect-OmegaDatabase and GetConnectionUri' {
        $db = Connect-OmegaDatabase $box.GetConnectionUri()
        $db.Port | Should -Be $box.Port
        $box.ToString() | Should -Not -Match ([regex]::Escape((Get-TestPassword $box)))
    }

    It 'serialises to JSON without the password' {
        $json = $box | ConvertTo-Json -Depth 6
        $json | Should -Not -Match ([regex]::Escape((Get-TestPassword $box)))
        ($json | ConvertFrom-Json).Port | Should -Be $box.Port
    }

    It 'creates nothing with -WhatIf' {
        $before = @(Get-OmegaSandbox).Count
        New-OmegaSandbox -WhatIf | Should -BeNullOrEmpty
        @(Get-OmegaSandbox).Count | Should -Be $before
    }

    It 'includes the tail of the server log when the server does not start' {
        # A bin directory whose pg_ctl starts a "postgres" that fails at once; initdb is the real one.
        $real = (Get-ChildItem /usr/lib/postgresql/*/bin/initdb | Sort-Object FullName -Descending | Select-Object -First 1).Directory.FullName
        $fake = Join-Path ([IO.Path]::GetTempPath()) "omega-fakebin-$([guid]::NewGuid().ToString('n'))"
        New-Item -ItemType Directory $fake | Out-Null
        try {
            New-Item -ItemType SymbolicLink -Path (Join-Path $fake 'initdb') -Target (Join-Path $real 'initdb') | Out-Null
            Copy-Item (Join-Path $real 'pg_ctl') $fake
            $version = & (Join-Path $real 'postgres') -V
            Set-Content (Join-Path $fake 'postgres') "#!/bin/sh`nif [ `"`$1`" = '-V' ]; then echo '$version'; exit 0; fi`necho 'FATAL:  simulated startup failure for the test' >&2`nexit 1"
            chmod 755 $fake (Join-Path $fake 'postgres')
            $err = { New-OmegaSandbox -Engine Local -PostgresBin $fake -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.SandboxStartFailed,*'
            $err.Exception.Message | Should -Match 'simulated startup failure'
            @(Get-ChildItem $env:OMEGADB_SANDBOX_ROOT -Directory | Where-Object Name -ne $box.Id) | Should -BeNullOrEmpty -Because 'a failed start leaves nothing behind'
        }
        finally { Remove-Item $fake -Recurse -Force }
    }

    It 'says how to get binaries when -PostgresBin has none' {
        { New-OmegaSandbox -Engine Local -PostgresBin $TestDrive -ErrorAction Stop } | Should -Throw -ErrorId 'OmegaDb.PostgresBinariesNotFound,OmegaDb.Commands.NewOmegaSandboxCommand'
    }
}

Describe 'Stopping New-OmegaSandbox (Ctrl+C)' {
    It 'leaves no directory or server behind at <Delay> ms' -ForEach @(@{ Delay = 150 }, @{ Delay = 400 }, @{ Delay = 700 }) {
        $before = @(Get-ChildItem $env:OMEGADB_SANDBOX_ROOT -Directory).Name
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:OMEGADB_MODULE_PATH'; New-OmegaSandbox -Name pester-stopped")
            $async = $ps.BeginInvoke()
            Start-Sleep -Milliseconds $Delay
            $ps.Stop()   # what Ctrl+C does: StopProcessing, then the pipeline unwinds
            try { $null = $ps.EndInvoke($async) } catch { }
            $made = @(Get-ChildItem $env:OMEGADB_SANDBOX_ROOT -Directory | Where-Object Name -notin $before)
            if ($made) {
                # Stopped after the sandbox was complete: it must then be a whole, removable one.
                $left = Get-OmegaSandbox pester-stopped
                $left.Status | Should -Be 'Running'
                $left | Remove-OmegaSandbox -Force
            }
            @(Get-ChildItem $env:OMEGADB_SANDBOX_ROOT -Directory | Where-Object Name -notin $before) | Should -BeNullOrEmpty
            @(ps -eo args | Where-Object { $_ -match 'postgres -D .*omega-' -and $_ -notmatch ($before -join '|') -and $_ -match [regex]::Escape($env:OMEGADB_SANDBOX_ROOT) }) | Should -BeNullOrEmpty
        }
        finally { $ps.Dispose() }
    }
}

Describe 'Remove-OmegaSandbox' {
    It 'leaves no server process, listening port or directory behind over 20 cycles' {
        $seen = foreach ($i in 1..20) {
            $s = New-OmegaSandbox
            $info = [pscustomobject]@{ Port = $s.Port; Pid = Get-PostmasterPid $s.DataDirectory; Directory = Split-Path $s.DataDirectory }
            $s | Remove-OmegaSandbox
            $s.Status | Should -Be 'Removed'
            $info
        }
        foreach ($x in $seen) {
            Test-ProcessAlive $x.Pid | Should -BeFalse
            Test-PortOpen $x.Port | Should -BeFalse
            $x.Directory | Should -Not -Exist
        }
        @(Get-OmegaSandbox | Where-Object Name -ne $box.Name) | Should -BeNullOrEmpty
    }

    It 'removes by name and reports an unknown name' {
        $s = New-OmegaSandbox -Name pester-by-name
        Remove-OmegaSandbox -Name pester-by-name
        Split-Path $s.DataDirectory | Should -Not -Exist
        $err = $null
        Remove-OmegaSandbox -Name pester-nothing-here -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.SandboxNotFound,*'
    }

    It 'does nothing with -WhatIf' {
        $s = New-OmegaSandbox
        try {
            $s | Remove-OmegaSandbox -WhatIf
            Test-PortOpen $s.Port | Should -BeTrue
        }
        finally { $s | Remove-OmegaSandbox }
    }
}

Describe 'New-OmegaSandbox -Engine Server' {
    It 'creates and drops a scratch database on the given server' {
        $s = New-OmegaSandbox -Engine Server -Server $box
        try {
            $s.Engine | Should -Be 'Server'
            $s.Database | Should -Match '^omega_sandbox_[0-9a-f]{12}$'
            $s.Port | Should -Be $box.Port
            Invoke-TestSql $box "SELECT count(*) FROM pg_database WHERE datname = '$($s.Database)'" | Should -Be '1'
            Invoke-TestSql $s 'CREATE TABLE isolated (id int)' | Out-Null
        }
        finally { $s | Remove-OmegaSandbox }
        Invoke-TestSql $box "SELECT count(*) FROM pg_database WHERE datname = '$($s.Database)'" | Should -Be '0'
    }

    It 'takes -Server as a connection string' {
        $s = New-OmegaSandbox -Server $box.GetConnectionUri()
        $s.Engine | Should -Be 'Server'
        $s | Remove-OmegaSandbox
    }

    It 'refuses a server marked Production' {
        $prod = Connect-OmegaDatabase $box.GetConnectionUri() -Environment Production
        { New-OmegaSandbox -Engine Server -Server $prod -ErrorAction Stop } | Should -Throw -ErrorId 'OmegaDb.SandboxOnProduction,OmegaDb.Commands.NewOmegaSandboxCommand'
    }

    It 'refuses -Server with the Local engine instead of ignoring it' {
        $err = $null
        New-OmegaSandbox -Engine Local -Server $box -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.ServerNeedsServerEngine,OmegaDb.Commands.NewOmegaSandboxCommand'
    }

    It 'reports a malformed -Server string with the OmegaDb error id in the message' {
        $e = { New-OmegaSandbox -Engine Server -Server 'postgresql://u:S3cretPw@h:99999/db' -ErrorAction Stop } | Should -Throw -PassThru
        $e.Exception.Message | Should -Match 'OmegaDb.InvalidConnectionUri'
        $e.Exception.Message | Should -Not -Match 'S3cret'
    }

    It 'drops another session''s scratch database given -Server, on the marker''s server' {
        $child = Start-ChildPwsh -Script "Import-Module '$env:OMEGADB_MODULE_PATH'; `$s = New-OmegaSandbox -Engine Server -Server '$($box.GetConnectionUri())' -Name pester-server-orphan; 'READY ' + `$s.Database; [Console]::Out.Flush(); Start-Sleep -Seconds 300"
        try {
            $line = $child.StandardOutput.ReadLine()
            while ($line -ne $null -and $line -notmatch '^READY') { $line = $child.StandardOutput.ReadLine() }
            $database = ($line -split ' ')[1]
            $child.Kill(); $child.WaitForExit()

            $orphan = Get-OmegaSandbox pester-server-orphan
            $orphan.Status | Should -Be 'Orphaned'
            $err = $null
            $orphan | Remove-OmegaSandbox -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.SandboxCredentialsRequired,*'
            Invoke-TestSql $box "SELECT count(*) FROM pg_database WHERE datname = '$database'" | Should -Be '1'

            # -Server lends credentials only; the database is dropped where the marker says it is.
            $orphan | Remove-OmegaSandbox -Server $box
            Invoke-TestSql $box "SELECT count(*) FROM pg_database WHERE datname = '$database'" | Should -Be '0'
            Get-OmegaSandbox pester-server-orphan -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
        finally {
            if (-not $child.HasExited) { $child.Kill() }
        }
    }

    It 'asks for -Server when none is given' {
        { New-OmegaSandbox -Engine Server -ErrorAction Stop } | Should -Throw -ErrorId 'OmegaDb.SandboxServerRequired,OmegaDb.Commands.NewOmegaSandboxCommand'
    }
}

Describe 'Get-OmegaSandbox' {
    It 'lists this session''s sandboxes and filters by name' {
        $found = Get-OmegaSandbox pester-sandbox-*
        $found.Name | Should -Be 'pester-sandbox-host'
        $found.IsOwned | Should -BeTrue
        $found.Status | Should -Be 'Running'
    }

    It 'reports an unknown name' {
        $err = $null
        Get-OmegaSandbox nothing-called-this -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'OmegaDb.SandboxNotFound,OmegaDb.Commands.GetOmegaSandboxCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Sandboxes outlive nothing' {
    It 'are removed when the PowerShell process exits' {
        $out = Invoke-ChildPwsh -Script "Import-Module '$env:OMEGADB_MODULE_PATH'; `$s = New-OmegaSandbox -Name pester-exit; 'DIR=' + (Split-Path `$s.DataDirectory); 'PORT=' + `$s.Port; 'PID=' + (Get-Content (Join-Path `$s.DataDirectory 'postmaster.pid') -TotalCount 1)"
        $dir = ($out -split "`n" | Where-Object { $_ -like 'DIR=*' }) -replace '^DIR=' | ForEach-Object Trim
        $serverPid = [int](($out -split "`n" | Where-Object { $_ -like 'PID=*' }) -replace '^PID=')
        $dir | Should -Not -BeNullOrEmpty
        $dir | Should -Not -Exist
        Test-ProcessAlive $serverPid | Should -BeFalse
    }

    It 'are removed when the module is removed' {
        $out = Invoke-ChildPwsh -Script "Import-Module '$env:OMEGADB_MODULE_PATH'; `$s = New-OmegaSandbox -Name pester-unload; `$dir = Split-Path `$s.DataDirectory; `$pm = [int](Get-Content (Join-Path `$s.DataDirectory 'postmaster.pid') -TotalCount 1); Remove-Module OmegaDb; 'GONE=' + -not (Test-Path `$dir); 'PM=' + `$pm"
        $out | Should -Match 'GONE=True'
        $serverPid = [int](($out -split "`n" | Where-Object { $_ -like 'PM=*' }) -replace '^PM=')
        Test-ProcessAlive $serverPid | Should -BeFalse
    }

    It 'are found and removed after their owner was killed' {
        $child = Start-ChildPwsh -Script "Import-Module '$env:OMEGADB_MODULE_PATH'; `$s = New-OmegaSandbox -Name pester-orphan; 'READY'; [Console]::Out.Flush(); Start-Sleep -Seconds 300"
        try {
            $line = $child.StandardOutput.ReadLine()
            while ($line -ne $null -and $line -notmatch 'READY') { $line = $child.StandardOutput.ReadLine() }
            $line | Should -Match 'READY'

            $live = Get-OmegaSandbox pester-orphan
            $live.Status | Should -Be 'Running'
            $live.IsOwned | Should -BeFalse
            $err = $null
            $live | Remove-OmegaSandbox -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.SandboxOwnedByAnotherSession,*'

            $child.Kill()   # SIGKILL: no exit handlers run
            $child.WaitForExit()
            $orphan = Get-OmegaSandbox pester-orphan
            $orphan.Status | Should -Be 'Orphaned'
            $serverPid = Get-PostmasterPid $orphan.DataDirectory
            Test-ProcessAlive $serverPid | Should -BeTrue

            Get-OmegaSandbox -Status Orphaned | Remove-OmegaSandbox
            Test-ProcessAlive $serverPid | Should -BeFalse
            Test-PortOpen $orphan.Port | Should -BeFalse
            Split-Path $orphan.DataDirectory | Should -Not -Exist
        }
        finally {
            if (-not $child.HasExited) { $child.Kill() }
            Get-OmegaSandbox pester-orphan -ErrorAction SilentlyContinue | Remove-OmegaSandbox -Force
        }
    }
}
