@{
    Synopsis    = 'Reports how often each index was used and how large it is, and flags unused indexes.'
    Description = @'
Get-OmegaIndexUsage reads pg_stat_user_indexes and returns one OmegaIndexUsage per index: scans, tuples read and fetched, size in bytes, and (on PostgreSQL 16 and later) the time of the last scan. Unused is true for an index that was never scanned and neither is unique nor backs a constraint: such an index costs writes and space and speeds nothing up.

The counters run since the server's statistics were last reset (see stats_reset in pg_stat_database), and each server, primary or replica, keeps its own: check them on every server that takes reads before dropping an index.
'@
    Parameters  = @{
        Database = 'The database to read: an OmegaDatabase or OmegaSandbox, or a connection string or URI. Accepts pipeline input, also by property name.'
        Table    = 'Only indexes of tables whose name (or schema.name) matches; wildcards are allowed.'
        Unused   = 'Returns only the indexes flagged Unused.'
    }
    Examples    = @(
        @{
            Title   = 'Is the new index used?'
            Code    = '$prod | Get-OmegaIndexUsage -Table user_profiles'
            Remarks = 'Shows scans and size of each index of user_profiles, for example after the GIN index on preferences went live.'
        }
        @{
            Title   = 'Candidates for removal, largest first'
            Code    = 'Get-OmegaIndexUsage $prod -Unused | Sort-Object SizeBytes -Descending'
            Remarks = 'Lists indexes never scanned since the statistics were reset.'
        }
    )
    Related     = @('Get-OmegaSchema')
}
