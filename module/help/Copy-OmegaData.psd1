@{
    Synopsis    = 'Copies rows from one database into another with COPY, parents before children, optionally sampled and masked.'
    Description = @'
Copy-OmegaData streams rows from the source into the destination with COPY (binary where the column types allow it), one table after another in foreign-key order, so that every row finds its parent rows already there. The destination must already have the tables with the same columns (copy the schema first, for example with New-OmegaSandbox -From); it is written in one transaction, so a failure leaves nothing half-copied. Serial and identity sequences in the destination are moved past the copied values. Generated columns are not copied: the destination computes them. Partitioned tables are copied through their parent.

-Limit and -Where copy only some rows. The source is read in one REPEATABLE READ, read-only snapshot; the picked rows of every table, then the parent rows they reference, are added until nothing new is referenced, across any number of levels and self-references. So foreign keys hold in the destination. Tables that reference each other in a cycle are copied with the cycle's foreign keys deferred when they are DEFERRABLE, otherwise with the server's checks off for those tables (which needs a superuser) and every one of their foreign keys checked afterwards; with neither, the copy is refused and names the cycle.

-Mask replaces column values on the way, in the source's query, so the real values never leave the source. Every masker is deterministic (SHA-256 of the value, no key, no randomness): the same value masks to the same result in every table and every run, so joins on masked columns still match. NULL stays NULL. Maskers: Email (user-<16 hex digits>@example.invalid), Name (a first and last name picked by the hash), Hash (the 64 hex digits), Null, and Fixed, written 'Fixed:value' or @{ Fixed = 'value' }. Masks are checked before anything is copied: an unknown masker or column, Null on a NOT NULL column, a text masker on a non-text column, a Fixed value that is not valid for the column, or masking only one side of a foreign key is an error.

The destination is written to, so a database marked Production needs -Force. Passwords never appear in the output or in errors.
'@
    Parameters  = @{
        Source      = 'The database to read: an OmegaDatabase, an OmegaSandbox, or a connection string or URI. Accepts pipeline input. It is only read, in a read-only transaction.'
        Destination = 'The database to write into, usually a sandbox: an OmegaDatabase, an OmegaSandbox, or a connection string or URI. It must have the tables already, with the same columns.'
        Table       = 'Only tables whose name (or schema.name) matches; wildcards are allowed. A name without wildcards that matches no table is an error. Parent tables left out are not copied: their rows must already be in the destination.'
        Limit       = 'At most this many rows per table, plus the rows of parent tables that the copied rows reference, so that every foreign key holds.'
        Where       = 'A filter, SQL as after WHERE: a string applies to every selected table ("created_at > now() - interval ''30 days''"); a hashtable gives one per table (@{ orders = "placed_at >= ''2024-01-01''"; ''audit.*'' = ''false'' }). Parent rows the filtered rows reference are copied too. Checked against each table before anything is copied; runs in a read-only transaction.'
        Mask        = 'A hashtable of column to masker: keys ''table.column'' or ''schema.table.column''; values Email, Name, Hash, Null, ''Fixed:value'' or @{ Fixed = ''value'' }. Masks of tables that are not being copied are checked and otherwise ignored, so one mask set can serve every copy.'
        Truncate    = 'Empties the destination tables first, in the same transaction as the copy. Without it the rows are added to what the destination has; a clash with existing rows fails the copy and nothing is written.'
        Force       = 'Allows a destination marked Production.'
    }
    Examples    = @(
        @{
            Title   = 'Fill a sandbox with a sample of production'
            Code    = @'
$box = New-OmegaSandbox -From $prod -SchemaOnly
$prod | Copy-OmegaData -Destination $box -Limit 1000 -Mask @{ 'user_profiles.email' = 'Email'; 'user_profiles.bio' = 'Null' }
'@
            Remarks = 'Copies up to 1000 rows of every table and the parent rows they reference, with e-mail addresses replaced and biographies removed. One OmegaDataCopyResult per table.'
        }
        @{
            Title   = 'Recent orders only, and their customers'
            Code    = 'Copy-OmegaData -Source $prod -Destination $box -Table orders, order_lines, customers -Where @{ orders = "placed_at > now() - interval ''30 days''" } -Truncate'
            Remarks = 'Empties the three tables in the sandbox, then copies last month''s orders, all order lines and customers, and whatever those reference in the three tables.'
        }
        @{
            Title   = 'Preview'
            Code    = 'Copy-OmegaData $prod $box -WhatIf'
            Remarks = 'Says what would be copied where, without connecting.'
        }
    )
    Related     = @('New-OmegaSandbox', 'Get-OmegaSchema', 'Compare-OmegaSchema')
}
