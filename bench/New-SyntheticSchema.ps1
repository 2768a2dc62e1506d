#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Writes a synthetic PostgreSQL schema script for benchmarks (snapshots, copies, migrations).
.DESCRIPTION
    Emits -TableCount tables of -ColumnCount columns each (bigint identity key, text, varchar,
    integer, numeric(12,2), boolean, timestamptz, jsonb, uuid, date, an enum; NOT NULLs,
    defaults, a CHECK and comments), -IndexCount secondary indexes per table, and a chain of
    foreign keys (table N references table N-1). Around them: an enum type, a sequence, two
    functions (one used by a view, one by triggers on a few tables), a few views and a
    materialized view.

    The same parameters always give byte-identical output (no clock, no randomness, "\n" line
    endings). It is valid for PostgreSQL 14 and later (SQL-standard function body, built-in
    gen_random_uuid).
    It is not wrapped in a transaction: one transaction (psql -1) works for 1000 tables, but
    2000 exhaust a default server's lock table (max_locks_per_transaction 64).
.EXAMPLE
    ./bench/New-SyntheticSchema.ps1 -OutFile /tmp/schema.sql
    psql -v ON_ERROR_STOP=1 -q -f /tmp/schema.sql
.EXAMPLE
    ./bench/New-SyntheticSchema.ps1 -TableCount 10 -Schema app | Set-Clipboard
#>
[CmdletBinding()]
[OutputType([string], [System.IO.FileInfo])]
param(
    [ValidateRange(1, 100000)]
    [int] $TableCount = 1000,

    # At least 10: the indexes, the CHECK, the views and the FK need the first ten columns.
    [ValidateRange(10, 1000)]
    [int] $ColumnCount = 17,

    [ValidateRange(0, 100)]
    [int] $IndexCount = 3,

    [ValidatePattern('^[A-Za-z_][A-Za-z0-9_]{0,62}$')]
    [string] $Schema = 'public',

    # Written as UTF-8 without BOM; otherwise the script is returned as one string.
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# PostgreSQL's reserved and type/function-name keywords: these must be quoted as identifiers.
$reserved = [Collections.Generic.HashSet[string]]::new([string[]]@(
        'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'authorization', 'binary', 'both',
        'case', 'cast', 'check', 'collate', 'collation', 'column', 'concurrently', 'constraint', 'create', 'cross',
        'current_catalog', 'current_date', 'current_role', 'current_schema', 'current_time', 'current_timestamp',
        'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except', 'false', 'fetch',
        'for', 'foreign', 'freeze', 'from', 'full', 'grant', 'group', 'having', 'ilike', 'in', 'initially', 'inner',
        'intersect', 'into', 'is', 'isnull', 'join', 'lateral', 'leading', 'left', 'like', 'limit', 'localtime',
        'localtimestamp', 'natural', 'not', 'notnull', 'null', 'offset', 'on', 'only', 'or', 'order', 'outer',
        'overlaps', 'placing', 'primary', 'references', 'returning', 'right', 'select', 'session_user', 'similar',
        'some', 'symmetric', 'system_user', 'table', 'tablesample', 'then', 'to', 'trailing', 'true', 'union',
        'unique', 'user', 'using', 'variadic', 'verbose', 'when', 'where', 'window', 'with'))

function Format-Ident([string] $Name) {
    if ($Name -cmatch '^[a-z_][a-z0-9_]*$' -and -not $reserved.Contains($Name)) { return $Name }
    return '"' + $Name.Replace('"', '""') + '"'
}

$s = Format-Ident $Schema
$width = [Math]::Max(4, "$TableCount".Length)
$nouns = 'account', 'order', 'invoice', 'shipment', 'product', 'customer', 'payment', 'ticket', 'contract', 'asset',
'employee', 'project', 'warehouse', 'supplier', 'campaign', 'device'

function Get-TableName([int] $Number) {
    # "order_0002": a realistic word (some are keywords, which is fine once numbered) plus a unique number.
    return '{0}_{1}' -f $nouns[($Number - 1) % $nouns.Count], $Number.ToString("D$width", [Globalization.CultureInfo]::InvariantCulture)
}

# The column pool, in the order columns are taken. The first ten are the ones that indexes,
# the CHECK, the FK and the views rely on. {0} is the schema, {1} the table number.
$pool = @(
    @{ Name = 'id'; Sql = 'bigint GENERATED ALWAYS AS IDENTITY' }
    @{ Name = 'parent_id'; Sql = 'bigint' }
    @{ Name = 'code'; Sql = "varchar({2}) NOT NULL DEFAULT ('DOC-' || nextval('{0}.document_number_seq'::regclass))" }
    @{ Name = 'name'; Sql = 'text NOT NULL' }
    @{ Name = 'status'; Sql = "{0}.record_status NOT NULL DEFAULT 'draft'" }
    @{ Name = 'quantity'; Sql = 'integer NOT NULL DEFAULT 0' }
    @{ Name = 'amount'; Sql = 'numeric(12,2) NOT NULL DEFAULT 0' }
    @{ Name = 'is_active'; Sql = 'boolean NOT NULL DEFAULT true' }
    @{ Name = 'created_at'; Sql = 'timestamptz NOT NULL DEFAULT now()' }
    @{ Name = 'attributes'; Sql = "jsonb NOT NULL DEFAULT '{{}}'::jsonb" }
    @{ Name = 'external_id'; Sql = 'uuid NOT NULL DEFAULT gen_random_uuid()' }
    @{ Name = 'description'; Sql = 'text' }
    @{ Name = 'valid_from'; Sql = 'date DEFAULT CURRENT_DATE' }
    @{ Name = 'email'; Sql = 'varchar(255)' }
    @{ Name = 'score'; Sql = 'integer' }
    @{ Name = 'discount'; Sql = 'numeric(12,2)' }
    @{ Name = 'updated_at'; Sql = 'timestamptz NOT NULL DEFAULT now()' }
)
# Columns past the pool cycle through these types.
$extraTypes = 'text', 'integer', 'numeric(12,2)', 'boolean', 'date', 'timestamptz', 'varchar(64)', 'uuid', 'jsonb', 'bigint'
# Columns that extra (4th and later) indexes may use, in order; btree-able only.
$extraIndexColumns = 'amount', 'created_at', 'external_id', 'valid_from', 'email', 'score', 'name', 'quantity', 'discount', 'updated_at'

$columns = [Collections.Generic.List[hashtable]]::new()
for ($c = 0; $c -lt $ColumnCount; $c++) {
    if ($c -lt $pool.Count) { $columns.Add($pool[$c]); continue }
    $n = $c - $pool.Count + 1
    $columns.Add(@{ Name = 'extra_{0:D2}' -f $n; Sql = $extraTypes[($n - 1) % $extraTypes.Count] })
}
$columnNames = [Collections.Generic.HashSet[string]]::new([string[]]@($columns | ForEach-Object { $_.Name }))
$indexable = @($extraIndexColumns | Where-Object { $columnNames.Contains($_) }) +
    @($columns | Where-Object { $_.Name -like 'extra_*' -and $_.Sql -ne 'jsonb' } | ForEach-Object { $_.Name })
$hasUpdatedAt = $columnNames.Contains('updated_at')

$sb = [Text.StringBuilder]::new(4MB)
function Add([string] $Line = '') { [void] $sb.Append($Line).Append("`n") }

Add "-- Synthetic OmegaDb benchmark schema: $TableCount tables x $ColumnCount columns, $IndexCount indexes per table, schema $Schema."
Add '-- Generated by bench/New-SyntheticSchema.ps1; the same parameters give the same script.'
Add 'SET client_min_messages = warning;'
Add
if ($Schema -ne 'public') {
    Add "CREATE SCHEMA IF NOT EXISTS $s;"
    Add
}
Add "CREATE TYPE $s.record_status AS ENUM ('draft', 'active', 'suspended', 'archived');"
Add
Add "CREATE SEQUENCE $s.document_number_seq AS bigint START WITH 1000 INCREMENT BY 1 CACHE 20;"
Add "COMMENT ON SEQUENCE $s.document_number_seq IS 'Document numbers shared by every table''s code column.';"
Add
Add "CREATE FUNCTION $s.net_amount(amount numeric, discount numeric DEFAULT 0)"
Add 'RETURNS numeric'
Add 'LANGUAGE sql IMMUTABLE PARALLEL SAFE'
Add "RETURN round(amount - coalesce(discount, 0), 2);"
Add
Add "CREATE FUNCTION $s.touch_updated_at()"
Add 'RETURNS trigger'
Add 'LANGUAGE plpgsql'
Add 'AS $fn$'
Add 'BEGIN'
Add '    NEW.updated_at := now();'
Add '    RETURN NEW;'
Add 'END'
Add '$fn$;'
Add

for ($t = 1; $t -le $TableCount; $t++) {
    $name = Get-TableName $t
    $q = "$s.$(Format-Ident $name)"
    # Small per-table variation, still deterministic.
    $codeLength = 32 + ($t % 4) * 16
    Add "CREATE TABLE $q ("
    foreach ($col in $columns) {
        Add ('    {0} {1},' -f $col.Name, ($col.Sql -f $s, $t, $codeLength))
    }
    Add "    CONSTRAINT ${name}_pkey PRIMARY KEY (id),"
    if ($t -gt 1) {
        $parent = "$s.$(Format-Ident (Get-TableName ($t - 1)))"
        Add "    CONSTRAINT ${name}_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES $parent (id) ON DELETE SET NULL,"
    }
    Add "    CONSTRAINT ${name}_quantity_check CHECK (quantity >= 0 AND amount >= 0)"
    Add ');'
    Add "COMMENT ON TABLE $q IS 'Synthetic table $t of $TableCount.';"
    Add "COMMENT ON COLUMN $q.code IS 'Business key, unique among active rows.';"

    for ($i = 1; $i -le $IndexCount; $i++) {
        switch ($i) {
            1 { Add "CREATE INDEX ${name}_parent_id_idx ON $q (parent_id);" }
            2 { Add "CREATE INDEX ${name}_status_created_at_idx ON $q (status, created_at DESC);" }
            3 {
                # Alternate the third index so both kinds appear.
                if ($t % 2 -eq 1) { Add "CREATE INDEX ${name}_attributes_idx ON $q USING gin (attributes jsonb_path_ops);" }
                else { Add "CREATE UNIQUE INDEX ${name}_code_active_key ON $q (code) WHERE is_active;" }
            }
            default {
                $column = $indexable[($i - 4) % $indexable.Count]
                $suffix = if ($i - 4 -ge $indexable.Count) { "_$i" } else { '' }
                Add "CREATE INDEX ${name}_${column}${suffix}_idx ON $q ($column);"
            }
        }
    }
    if ($hasUpdatedAt -and $t % 100 -eq 1) {
        Add "CREATE TRIGGER ${name}_touch BEFORE UPDATE ON $q FOR EACH ROW EXECUTE FUNCTION $s.touch_updated_at();"
    }
    Add
}

$first = "$s.$(Format-Ident (Get-TableName 1))"
$middleNumber = [int][Math]::Ceiling($TableCount / 2)
$middle = "$s.$(Format-Ident (Get-TableName $middleNumber))"
$last = "$s.$(Format-Ident (Get-TableName $TableCount))"

Add "CREATE VIEW $s.active_records AS"
Add "SELECT id, code, name, status, created_at FROM $first WHERE is_active AND status <> 'archived';"
Add "COMMENT ON VIEW $s.active_records IS 'Active rows of the first table.';"
Add
Add "CREATE VIEW $s.status_totals AS"
Add "SELECT status, count(*) AS records, sum($s.net_amount(amount)) AS net_total FROM $middle GROUP BY status;"
Add
if ($TableCount -ge 2) {
    $parentOfLast = "$s.$(Format-Ident (Get-TableName ($TableCount - 1)))"
    Add "CREATE VIEW $s.latest_with_parent AS"
    Add "SELECT c.id, c.code, c.name, p.code AS parent_code, c.amount - p.amount AS amount_delta"
    Add "FROM $last AS c LEFT JOIN $parentOfLast AS p ON p.id = c.parent_id;"
    Add
}
Add "CREATE VIEW $s.recent_active_records AS"
Add "SELECT * FROM $s.active_records WHERE created_at > now() - interval '30 days'"
Add 'WITH LOCAL CHECK OPTION;'
Add
Add "CREATE MATERIALIZED VIEW $s.daily_counts AS"
Add "SELECT created_at::date AS day, count(*) AS records FROM $first GROUP BY 1"
Add 'WITH NO DATA;'

$sql = $sb.ToString()
if ($OutFile) {
    $path = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($OutFile)
    [IO.File]::WriteAllText($path, $sql, [Text.UTF8Encoding]::new($false))
    Get-Item -LiteralPath $path
}
else {
    $sql
}
