@{
    Synopsis    = 'Takes a snapshot of a database''s schema: tables, columns, constraints, indexes, views, sequences, types, functions, triggers and extensions.'
    Description = @'
Get-OmegaSchema reads the PostgreSQL catalogs in one read-only, repeatable-read transaction and returns an OmegaSchema. The number of catalog queries is fixed, whatever the number of tables, so a snapshot of thousands of tables takes well under a second.

It covers tables (with partitioning and inheritance), columns (type, nullability, default, identity, generated expression, collation, comment), constraints (primary, foreign, unique, check and exclusion, with NOT VALID), indexes (method, key columns and expressions, INCLUDE columns, predicate, uniqueness, validity), triggers, views and materialized views, sequences, enums, domains, composite and range types, functions, procedures and aggregates, and extensions. Objects that belong to an extension are left out, and so are the system schemas and OmegaDb's own migration-history schema (omegadb).

Types and expressions are printed the way PostgreSQL prints them with an empty search_path, so objects outside pg_catalog are schema-qualified (public.mood, nextval('public.orders_id_seq'::regclass)) and a snapshot does not depend on the session that took it.

The Fingerprint property is a SHA-256 of the semantic content: no OIDs, sizes, server version or capture time. Two databases with the same schema have the same fingerprint, whatever order their DDL ran in.
'@
    Parameters  = @{
        Database = 'The database to read: an OmegaDatabase or OmegaSandbox, or a connection string or URI. Accepts pipeline input, also by property name.'
        Schema   = 'Only these schemas (namespaces); wildcards are allowed.'
        Table    = 'Only tables, views, materialized views and sequences whose name (or schema.name) matches; wildcards are allowed. With -Table, types, functions and extensions are left out of the snapshot.'
    }
    Examples    = @(
        @{
            Title   = 'Snapshot a database'
            Code    = '$prod = Connect-OmegaDatabase $env:DATABASE_URL -Environment Production
$schema = $prod | Get-OmegaSchema
$schema.Tables | Format-Table'
            Remarks = 'Reads the schema and lists its tables with their column, index, constraint and trigger counts.'
        }
        @{
            Title   = 'One table''s columns and indexes'
            Code    = '$t = (Get-OmegaSchema $prod -Table user_profiles).GetTable(''user_profiles'')
$t.Columns
$t.Indexes'
            Remarks = 'Columns show type, NOT NULL and default; indexes show method, keys, predicate, uniqueness and validity.'
        }
        @{
            Title   = 'Is the sandbox''s schema the same as production''s?'
            Code    = '(Get-OmegaSchema $prod).Fingerprint -eq (Get-OmegaSchema $sandbox).Fingerprint'
            Remarks = 'Equal fingerprints mean equal schemas; Compare-OmegaSchema says what differs.'
        }
    )
    Related     = @('Compare-OmegaSchema', 'Test-OmegaSchema', 'Export-OmegaSchema', 'Get-OmegaIndexUsage')
}
