@{
    Synopsis    = 'Lists the migrations in a folder and, with a database, their status against its history.'
    Description = @'
Get-OmegaMigration parses every <version>_<name>.sql file of a migrations folder (ordered by the numeric version; 001 is 1) and returns an OmegaMigration for each: Version, Name, Path, Checksum, HasDown, HasVerify, Transactional and Status.

Without -Database every migration is Pending. With a database, each is compared with the database's history table (omegadb.migration_history unless -HistoryTable says otherwise):

Pending: not applied yet.
Applied: applied, and the file is unchanged since.
Modified: applied, but the file changed afterwards (its SHA-256, with line endings normalised, differs). Invoke-OmegaMigration refuses to run while one is Modified.
Missing: recorded as applied, but its file is gone from the folder.

A file is split into sections by lines -- omega:up, -- omega:down and -- omega:verify; a file without markers is all up. -- omega:no-transaction marks a migration that must run outside a transaction. A malformed file (an unknown directive, an empty or repeated section, an unterminated string or comment) is an error naming the file and line; so are two files with the same version.
'@
    Parameters  = @{
        Path         = 'The migrations folder.'
        Database     = 'The database whose history gives each migration its status. Accepts an OmegaDatabase, or a connection string or URI, from the pipeline too.'
        HistoryTable = 'The history table, as table or schema.table. Default: omegadb.migration_history.'
        Status       = 'Only migrations with one of these statuses: Pending, Applied, Modified, Missing.'
    }
    Examples    = @(
        @{
            Title   = 'What is still to run on production?'
            Code    = '$prod | Get-OmegaMigration ./migrations -Status Pending'
            Remarks = 'Lists the migrations not yet applied to the production database.'
        }
        @{
            Title   = 'Catch edited migrations in CI'
            Code    = 'if ($prod | Get-OmegaMigration ./migrations -Status Modified, Missing) { throw ''Applied migrations were changed or removed.'' }'
            Remarks = 'Applied migration files must not change; put changes in a new migration instead.'
        }
    )
    Related     = @('Invoke-OmegaMigration')
}
