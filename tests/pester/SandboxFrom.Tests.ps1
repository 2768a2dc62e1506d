# New-OmegaSandbox -From as users call it: from the pipeline, -WhatIf, the verbose story of
# a cold then a warm (template) copy, and a failure that leaves nothing behind. The engine's
# xunit tests (SourceCopyTests) cover fingerprints of the full coverage schema, the Server
# engine and the extension check. One Local source sandbox for the file.

BeforeAll {
    Import-Module $env:OMEGADB_MODULE_PATH -Force
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:box = New-OmegaSandbox -Name pester-from
    $script:scratch = [Collections.Generic.List[object]]::new()
    $script:made = [Collections.Generic.List[object]]::new()
    function New-ScratchDatabase([string] $Sql) { TestHelpers\New-ScratchDatabase -Server $box -Track $scratch -Sql $Sql }
    $script:source = New-ScratchDatabase @'
CREATE TYPE state AS ENUM ('new', 'done');
CREATE TABLE lists (id int PRIMARY KEY, title text NOT NULL);
CREATE TABLE items (id int PRIMARY KEY, list_id int NOT NULL REFERENCES lists, state state NOT NULL DEFAULT 'new', tags text[]);
CREATE INDEX items_tags ON items USING gin (tags);
CREATE INDEX items_open ON items (list_id) WHERE state = 'new';
CREATE VIEW open_items AS SELECT * FROM items WHERE state = 'new';
COMMENT ON TABLE items IS 'Things to do';
INSERT INTO lists VALUES (1, 'home'), (2, 'work');
INSERT INTO items SELECT g, 1 + g % 2, 'new', ARRAY['x'] FROM generate_series(1, 30) g;
'@
}

AfterAll {
    $made | Remove-OmegaSandbox -Force
    $scratch | Remove-OmegaSandbox
    $box | Remove-OmegaSandbox
    # Templates are not sandboxes, so Remove-OmegaSandbox leaves them: remove the one this file made.
    if ($script:template) {
        $root = Split-Path $template -Parent
        Remove-Item -LiteralPath $template -Recurse -Force -ErrorAction Ignore
        Remove-Item -LiteralPath (Join-Path $root "$((Split-Path $template -Leaf).Split('-')[0]).lock") -Force -ErrorAction Ignore
        if (-not (Get-ChildItem -LiteralPath $root -Force)) { Remove-Item -LiteralPath $root -Force }
    }
}

Describe 'New-OmegaSandbox -From' {
    It 'copies schema and rows from the pipeline, with the source as a redacted URI' {
        $copy = $source | New-OmegaSandbox -Engine Local
        $made.Add($copy)
        $copy.Source | Should -Be $source.ToString()
        $copy.Source | Should -Not -Match ([regex]::Escape((Get-TestPassword $source)))
        (Get-OmegaSchema $copy).Fingerprint | Should -Be (Get-OmegaSchema $source).Fingerprint
        Invoke-TestSql $copy 'SELECT count(*) FROM items' | Should -Be 30
    }

    It 'does nothing with -WhatIf' {
        $before = @(Get-OmegaSandbox).Count
        New-OmegaSandbox -From $source -SchemaOnly -WhatIf | Should -BeNullOrEmpty
        @(Get-OmegaSandbox).Count | Should -Be $before
    }

    It 'copies the schema only, then reuses the template for the unchanged source' {
        $cold = Invoke-Collecting { New-OmegaSandbox -From $source -SchemaOnly -Engine Local -Verbose }
        $cold.Error | Should -BeNullOrEmpty
        $first = $cold.Results[0]
        $made.Add($first)
        $first.TemplateUsed | Should -BeNullOrEmpty
        ($cold.Messages -match 'pg_dump .* \(schema only\)').Count | Should -Be 1
        ($cold.Messages -match 'template saved').Count | Should -Be 1
        Invoke-TestSql $first 'SELECT count(*) FROM items' | Should -Be 0
        (Get-OmegaSchema $first).Fingerprint | Should -Be (Get-OmegaSchema $source).Fingerprint

        $warm = Invoke-Collecting { New-OmegaSandbox -From $source -SchemaOnly -Engine Local -Verbose }
        $warm.Error | Should -BeNullOrEmpty
        $second = $warm.Results[0]
        $made.Add($second)
        $second.TemplateUsed | Should -Not -BeNullOrEmpty
        $script:template = $second.TemplateUsed
        ($warm.Messages -match 'reused the cached template').Count | Should -Be 1
        ($warm.Messages -match 'pg_dump').Count | Should -Be 0
        (Get-OmegaSchema $second).Fingerprint | Should -Be (Get-OmegaSchema $source).Fingerprint
        # Not a sandbox: nothing under the templates folder is listed.
        Get-OmegaSandbox | Where-Object { $_.DataDirectory -and $_.DataDirectory.StartsWith($second.TemplateUsed) } | Should -BeNullOrEmpty
        foreach ($message in $warm.Messages + $cold.Messages) { $message | Should -Not -Match ([regex]::Escape((Get-TestPassword $second))) }

        # The second use left spare copies made in the background; the next sandbox takes one by renaming it.
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (-not (Get-ChildItem -LiteralPath $second.TemplateUsed -Directory -Filter 'spare-*') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        @(Get-ChildItem -LiteralPath $second.TemplateUsed -Directory -Filter 'spare-*').Count | Should -BeGreaterThan 0
        $third = New-OmegaSandbox -From $source -SchemaOnly -Engine Local
        $made.Add($third)
        $third.TemplateUsed | Should -Be $second.TemplateUsed
        (Get-OmegaSchema $third).Fingerprint | Should -Be (Get-OmegaSchema $source).Fingerprint
        Invoke-TestSql $third 'SELECT count(*) FROM items' | Should -Be 0
        Invoke-TestSql $third "CREATE TABLE proof (id int); SELECT 'writable'" | Should -Contain writable
    }

    It '-SampleRows copies up to N rows per table with every row they reference, and the migration history whole' {
        $shop = New-ScratchDatabase @'
CREATE TABLE customers (id int PRIMARY KEY, referred_by int REFERENCES customers);
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers);
CREATE TABLE order_lines (order_id int REFERENCES orders, line int, PRIMARY KEY (order_id, line));
INSERT INTO customers SELECT g, CASE WHEN g % 10 <> 1 THEN g - 1 END FROM generate_series(1, 200) g;
INSERT INTO orders SELECT g, 201 - g FROM generate_series(1, 200) g;
INSERT INTO order_lines SELECT g, l FROM generate_series(1, 200) g, generate_series(1, 2) l;
CREATE SCHEMA omegadb;
CREATE TABLE omegadb.migration_history (version bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO omegadb.migration_history SELECT g, 'step ' || g FROM generate_series(1, 12) g;
'@
        $sample = $shop | New-OmegaSandbox -SampleRows 5 -Engine Server -Server $box
        $made.Add($sample)
        (Get-OmegaSchema $sample).Fingerprint | Should -Be (Get-OmegaSchema $shop).Fingerprint
        [int] (Invoke-TestSql $sample 'SELECT count(*) FROM order_lines') | Should -Be 5
        [int] (Invoke-TestSql $sample 'SELECT count(*) FROM orders') | Should -BeLessOrEqual 10
        [int] (Invoke-TestSql $sample 'SELECT count(*) FROM customers') | Should -BeLessThan 200
        # Every foreign key holds: no child row without its parent, self-reference included.
        Invoke-TestSql $sample 'SELECT count(*) FROM order_lines l LEFT JOIN orders o ON o.id = l.order_id WHERE o.id IS NULL' | Should -Be 0
        Invoke-TestSql $sample 'SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL' | Should -Be 0
        Invoke-TestSql $sample 'SELECT count(*) FROM customers c LEFT JOIN customers p ON p.id = c.referred_by WHERE c.referred_by IS NOT NULL AND p.id IS NULL' | Should -Be 0
        # Bookkeeping, not data: the history is copied whole, so the sandbox knows what is applied.
        Invoke-TestSql $sample 'SELECT count(*) FROM omegadb.migration_history' | Should -Be 12
    }

    It 'fails with a stable error and leaves no sandbox when the source cannot be dumped' {
        Invoke-TestSql $source "DROP ROLE IF EXISTS pester_noread; CREATE ROLE pester_noread LOGIN PASSWORD 'pester-noread-pw'" | Out-Null
        try {
            $before = @(Get-OmegaSandbox).Id
            $uri = "postgresql://pester_noread:pester-noread-pw@127.0.0.1:$($source.Port)/$($source.Database)"
            $result = Invoke-Collecting { New-OmegaSandbox -From $uri -Engine Local -ErrorAction Stop }
            $result.Error.FullyQualifiedErrorId | Should -BeLike 'OmegaDb.SandboxDumpFailed*'
            "$($result.Error)" | Should -Match 'permission denied'
            "$($result.Error)" | Should -Not -Match 'pester-noread-pw'
            @(Get-OmegaSandbox | Where-Object Id -NotIn $before) | Should -BeNullOrEmpty
        }
        finally {
            Invoke-TestSql $source 'DROP ROLE pester_noread' | Out-Null
        }
    }
}
