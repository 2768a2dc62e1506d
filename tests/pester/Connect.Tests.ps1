BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox
    $script:port = $box.Port

    # Roles whose passwords hold every character that needs care in a URI.
    $script:roles = @(
        @{ User = 'omega_at'; Password = 'p@ss@word' }
        @{ User = 'omega_mix'; Password = 'a:b/c?d#e%f&g=h+i' }
        @{ User = 'omega_space'; Password = 'with some spaces' }
        @{ User = 'omega_unicode'; Password = 'pässwörd-密码-🔑' }
        @{ User = 'omega user'; Password = 'user name has a space' }
    )
    foreach ($r in $roles) {
        Invoke-TestSql $box "CREATE ROLE ""$($r.User)"" LOGIN CREATEDB PASSWORD '$($r.Password -replace "'", "''")'" | Out-Null
    }

    function Enc([string] $s) { [Uri]::EscapeDataString($s) }

    function Get-AllStreams([scriptblock] $Action) {
        # Everything a user could see: every stream, errors rendered as PowerShell shows them,
        # and the error records' details.
        $all = & $Action *>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) {
                $_ | Out-String
                $_.Exception.ToString()
                "$($_.TargetObject)"
                $_.ErrorDetails
            }
            elseif ($_ -is [OmegaDb.OmegaDatabase]) { $_ | Out-String; $_ | ConvertTo-Json -Depth 6 }
            else { $_ | Out-String }
        }
        return ($all | Out-String)
    }
}

AfterAll {
    $box | Remove-OmegaSandbox
}

Describe 'Connect-OmegaDatabase with URIs' {
    It 'connects as <User> with a percent-encoded password over <Scheme>' -ForEach @(
        foreach ($scheme in 'postgresql', 'postgres', 'PostgreSQL') {
            foreach ($r in @(
                @{ User = 'omega_at'; Password = 'p@ss@word' }
                @{ User = 'omega_mix'; Password = 'a:b/c?d#e%f&g=h+i' }
                @{ User = 'omega_space'; Password = 'with some spaces' }
                @{ User = 'omega_unicode'; Password = 'pässwörd-密码-🔑' }
                @{ User = 'omega user'; Password = 'user name has a space' }
            )) { @{ Scheme = $scheme; User = $r.User; Password = $r.Password } }
        }
    ) {
        $uri = "${Scheme}://$(Enc $User):$(Enc $Password)@127.0.0.1:$port/postgres?sslmode=disable&application_name=omega%20tests"
        $db = Connect-OmegaDatabase $uri
        $db.User | Should -Be $User
        $db.ServerVersion | Should -Match '^\d+\.\d+'
        "$db" | Should -Not -Match ([regex]::Escape($Password))
        "$db" | Should -Not -Match ([regex]::Escape((Enc $Password)))
        (Connect-OmegaDatabase $db.GetConnectionUri()).User | Should -Be $User
    }

    It 'connects to an IPv6 loopback host in brackets' {
        $r = $roles[1]
        $db = Connect-OmegaDatabase "postgresql://$(Enc $r.User):$(Enc $r.Password)@[::1]:$port/postgres"
        $db.Host | Should -Be '::1'
        $db.ServerVersion | Should -Not -BeNullOrEmpty
        $db.GetConnectionUri() | Should -Match '@\[::1\]:'
    }

    It 'takes the password from -Credential' {
        $r = $roles[3]
        $credential = [pscredential]::new($r.User, (ConvertTo-SecureString $r.Password -AsPlainText -Force))
        $db = Connect-OmegaDatabase "host=127.0.0.1 port=$port dbname=postgres" -Credential $credential
        $db.User | Should -Be $r.User
    }

    It 'keeps a -Credential user name with @ and \ as typed' {
        Invoke-TestSql $box 'CREATE ROLE "app@server" LOGIN PASSWORD ''at-user-pw''; CREATE ROLE "DOM\app" LOGIN PASSWORD ''slash-user-pw''' | Out-Null
        foreach ($pair in @(@('app@server', 'at-user-pw'), @('DOM\app', 'slash-user-pw'))) {
            $credential = [pscredential]::new($pair[0], (ConvertTo-SecureString $pair[1] -AsPlainText -Force))
            $db = Connect-OmegaDatabase "host=127.0.0.1 port=$port dbname=postgres" -Credential $credential
            $db.User | Should -Be $pair[0]
        }
    }

    It 'checks a piped OmegaDatabase again and relabels it' {
        $db = $box | Connect-OmegaDatabase -Name relabelled -Environment Staging
        $db.Name | Should -Be 'relabelled'
        $db.Environment | Should -Be 'Staging'
        $db.Port | Should -Be $port
        $db.ServerVersion | Should -Not -BeNullOrEmpty
    }

    It 'accepts an Npgsql keyword string' {
        $r = $roles[0]
        $db = Connect-OmegaDatabase "Host=127.0.0.1;Port=$port;Database=postgres;Username=$($r.User);Password=$($r.Password)"
        $db.ServerVersion | Should -Not -BeNullOrEmpty
    }

    It 'marks a Production database and names it' {
        $db = Connect-OmegaDatabase $box.GetConnectionUri() -Environment Production -Name prod
        $db.IsProduction | Should -BeTrue
        $db.Name | Should -Be 'prod'
    }

    It 'takes strings from the pipeline' {
        $dbs = $box.GetConnectionUri(), $box.GetConnectionUri() | Connect-OmegaDatabase
        $dbs.Count | Should -Be 2
    }
}

Describe 'Connect-OmegaDatabase from the environment' {
    BeforeEach {
        $script:saved = @{}
        foreach ($v in 'DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD', 'PGPASSFILE', 'PGSSLMODE') {
            $saved[$v] = [Environment]::GetEnvironmentVariable($v)
            Set-EnvironmentVariable $v $null
        }
    }
    AfterEach {
        foreach ($v in $saved.Keys) { Set-EnvironmentVariable $v $saved[$v] }
    }

    It 'uses DATABASE_URL when no string is given' {
        $env:DATABASE_URL = $box.GetConnectionUri()
        (Connect-OmegaDatabase).Port | Should -Be $port
    }

    It 'uses the PG* variables, PGSSLMODE included' {
        $env:PGHOST = '127.0.0.1'; $env:PGPORT = "$port"; $env:PGDATABASE = 'postgres'
        $env:PGUSER = $roles[2].User; $env:PGPASSWORD = $roles[2].Password; $env:PGSSLMODE = 'disable'
        $db = Connect-OmegaDatabase
        $db.User | Should -Be $roles[2].User
        $db.ToString() | Should -Match 'sslmode=disable'
    }

    It 'reads the password from PGPASSFILE' {
        $file = Join-Path $TestDrive 'pgpass'
        $escaped = $roles[1].Password -replace '\\', '\\' -replace ':', '\:'
        Set-Content $file "# test`n127.0.0.1:${port}:postgres:$($roles[1].User):$escaped"
        chmod 600 $file
        $env:PGPASSFILE = $file
        $db = Connect-OmegaDatabase "postgresql://$(Enc $roles[1].User)@127.0.0.1:$port/postgres"
        $db.ServerVersion | Should -Not -BeNullOrEmpty
    }
}

Describe 'Connect-OmegaDatabase with bad input' {
    It 'reports <Case> as <ErrorId>' -ForEach @(
        @{ Case = 'another scheme'; Text = 'mysql://u:S3cretPw!@h/db'; ErrorId = 'OmegaDb.UnsupportedConnectionScheme' }
        @{ Case = 'bad percent-encoding'; Text = 'postgresql://u:S3cretPw%zz@h/db'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'a trailing %'; Text = 'postgresql://u:S3cretPw%@h/db'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'a port that is not a number'; Text = 'postgresql://u:S3cretPw@h:abc/db'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'a port out of range'; Text = 'postgresql://u:S3cretPw@h:70000/db'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'an unclosed IPv6 bracket'; Text = 'postgresql://u:S3cretPw@[::1/db'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'an unencoded @ in the password'; Text = 'postgresql://u:S3cret@Pw@h/db'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'an unknown query parameter'; Text = 'postgresql://u:S3cretPw@h/db?colour=blue'; ErrorId = 'OmegaDb.InvalidConnectionUri' }
        @{ Case = 'an invalid sslmode'; Text = 'postgresql://u:S3cretPw@h/db?sslmode=sometimes'; ErrorId = 'OmegaDb.InvalidConnectionParameter' }
        @{ Case = 'an unsupported libpq parameter'; Text = 'postgresql://u:S3cretPw@h/db?hostaddr=10.0.0.1'; ErrorId = 'OmegaDb.InvalidConnectionParameter' }
        @{ Case = 'a bare word'; Text = 'S3cretPw'; ErrorId = 'OmegaDb.InvalidConnectionString' }
        @{ Case = 'an unknown Npgsql keyword'; Text = 'Host=h;Password=S3cretPw;Colour=blue'; ErrorId = 'OmegaDb.InvalidConnectionString' }
    ) {
        $output = Get-AllStreams { Connect-OmegaDatabase $Text -Verbose -Debug -ErrorAction Continue }
        $err = $null
        Connect-OmegaDatabase $Text -ErrorAction SilentlyContinue -ErrorVariable err | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be "$ErrorId,OmegaDb.Commands.ConnectOmegaDatabaseCommand"
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err[0].Exception.Message | Should -Not -BeNullOrEmpty
        $output | Should -Not -Match 'S3cret'
    }

    It 'reports a wrong password as an authentication error without echoing it' {
        $uri = "postgresql://omega:Wr0ngPassw0rd@127.0.0.1:$port/postgres"
        $output = Get-AllStreams { Connect-OmegaDatabase $uri -Verbose -Debug -ErrorAction Continue }
        $err = $null
        Connect-OmegaDatabase $uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.AuthenticationFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $output | Should -Not -Match 'Wr0ngPassw0rd'
    }

    It 'reports a missing database as ObjectNotFound' {
        $uri = $box.GetConnectionUri() -replace '/postgres$', '/no_such_db'
        $err = $null
        Connect-OmegaDatabase $uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.DatabaseNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'reports a closed port as a connection error that says what to check' {
        $err = $null
        $uri = 'postgresql://u:S3cretPw@127.0.0.1:1/db?connect_timeout=2'
        Connect-OmegaDatabase $uri -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OmegaDb.ConnectionFailed,*'
        $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $err[0].Exception.Message | Should -Match 'running'
        $err[0].Exception.Message | Should -Not -Match 'S3cret'
        $err[0].Exception.Message | Should -Not -Match '   at '
    }

    It 'stops a runbook with $ErrorActionPreference = Stop' {
        { Connect-OmegaDatabase 'mysql://x@y/z' -ErrorAction Stop } | Should -Throw -ErrorId 'OmegaDb.UnsupportedConnectionScheme,OmegaDb.Commands.ConnectOmegaDatabaseCommand'
    }
}

Describe 'The password never leaks' {
    It 'is absent from every stream of every cmdlet with -Verbose -Debug' {
        $r = $roles[1]
        $uri = "postgresql://$(Enc $r.User):$(Enc $r.Password)@127.0.0.1:$port/postgres"
        $text = Get-AllStreams {
            $db = Connect-OmegaDatabase $uri -Verbose -Debug
            $db
            "$db"
            $db | Format-List * | Out-String
            $s = New-OmegaSandbox -Engine Server -Server $uri -Verbose -Debug
            $s
            Get-OmegaSandbox -Verbose -Debug
            $s | Remove-OmegaSandbox -Verbose -Debug
            Get-OmegaSandbox -Name definitely-not-there -Verbose -Debug -ErrorAction Continue
        }
        $text | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match ([regex]::Escape($r.Password))
        $text | Should -Not -Match ([regex]::Escape((Enc $r.Password)))
    }

    It 'is absent from the local sandbox''s output, markers and logs' {
        $text = Get-AllStreams {
            $s = New-OmegaSandbox -Verbose -Debug
            $script:leakBox = $s
            $s; $s | Format-List * | Out-String; Get-OmegaSandbox -Verbose -Debug
        }
        $password = Get-TestPassword $leakBox
        try {
            $password.Length | Should -BeGreaterThan 10
            $text | Should -Not -Match ([regex]::Escape($password))
            $files = Get-ChildItem (Split-Path $leakBox.DataDirectory) -File
            $files.Name | Should -Contain 'omega-sandbox.json'
            foreach ($f in $files) { Get-Content $f.FullName -Raw | Should -Not -Match ([regex]::Escape($password)) }
        }
        finally {
            $text = Get-AllStreams { $leakBox | Remove-OmegaSandbox -Verbose -Debug }
            $text | Should -Not -Match ([regex]::Escape($password))
        }
    }
}
