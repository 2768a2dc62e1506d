namespace OmegaDb.Migrations;

/// <summary>
/// Functions whose effect outlives a rollback, with what a user should know about each.
/// Built-in functions match unqualified or in pg_catalog, since another schema's function
/// of the same name is a different function; extension functions (dblink, adminpack,
/// pg_stat_statements) match in any schema, because extensions install where they are told.
/// </summary>
internal static class NonUndoableFunctions
{
    private sealed record Entry(string Effect, bool BuiltIn);

    private const string Sequence = "changes a sequence, and sequence changes are never rolled back: the dry run uses up or resets values for real.";
    private const string DblinkEffect = "works through a separate dblink connection, which commits on its own: rolling back this migration does not undo what it did on the other side.";
    private const string AdvisoryLock = "takes a session-level advisory lock, which a rollback does not release: it is held until it is unlocked or the session ends. Use pg_advisory_xact_lock, which a rollback releases.";
    private const string AdvisoryUnlock = "releases session-level advisory locks, which a rollback does not take back; pg_advisory_unlock_all would even release the lock OmegaDb holds while it migrates.";
    private const string ServerFile = "changes a file on the database server, which a rollback does not undo.";
    private const string StatsReset = "resets statistics, which a rollback does not restore.";
    private const string ReplicationSlot = "creates or drops a replication slot, which a rollback does not undo.";

    private static readonly Dictionary<string, Entry> Exact = new(StringComparer.Ordinal)
    {
        ["nextval"] = new(Sequence, true),
        ["setval"] = new(Sequence, true),
        ["dblink"] = new(DblinkEffect, false),
        ["lo_export"] = new("writes a file on the database server, which a rollback does not remove.", true),
        ["pg_terminate_backend"] = new("ends another session, which a rollback does not bring back.", true),
        ["pg_cancel_backend"] = new("cancels another session's query, which a rollback does not undo.", true),
        ["pg_advisory_lock"] = new(AdvisoryLock, true),
        ["pg_advisory_lock_shared"] = new(AdvisoryLock, true),
        ["pg_try_advisory_lock"] = new(AdvisoryLock, true),
        ["pg_try_advisory_lock_shared"] = new(AdvisoryLock, true),
        ["pg_advisory_unlock"] = new(AdvisoryUnlock, true),
        ["pg_advisory_unlock_shared"] = new(AdvisoryUnlock, true),
        ["pg_advisory_unlock_all"] = new(AdvisoryUnlock, true),
        ["pg_reload_conf"] = new("makes the server reload its configuration, which a rollback does not undo.", true),
        ["pg_rotate_logfile"] = new("rotates the server's log file, which a rollback does not undo.", true),
        ["pg_switch_wal"] = new("switches the server to a new WAL file, which a rollback does not undo.", true),
        ["pg_create_restore_point"] = new("writes a named restore point to the WAL, which a rollback does not remove.", true),
        ["pg_promote"] = new("promotes a standby server, which a rollback does not undo.", true),
        ["pg_create_physical_replication_slot"] = new(ReplicationSlot, true),
        ["pg_create_logical_replication_slot"] = new(ReplicationSlot, true),
        ["pg_drop_replication_slot"] = new(ReplicationSlot, true),
        ["pg_stat_statements_reset"] = new(StatsReset, false),
        ["pg_file_write"] = new(ServerFile, false),
        ["pg_file_rename"] = new(ServerFile, false),
        ["pg_file_unlink"] = new(ServerFile, false),
        ["pg_file_sync"] = new(ServerFile, false),
    };

    private static readonly (string Prefix, Entry Entry)[] Families =
    [
        ("dblink_", new(DblinkEffect, false)),
        ("pg_stat_reset", new(StatsReset, true)),
    ];

    /// <returns>What the call does that a rollback cannot undo, or null when the function is harmless.</returns>
    public static string? Effect(string name, string? schema)
    {
        var entry = Exact.GetValueOrDefault(name) ?? Families.FirstOrDefault(f => name.StartsWith(f.Prefix, StringComparison.Ordinal)).Entry;
        if (entry is null || (entry.BuiltIn && schema is not null && schema != "pg_catalog"))
        {
            return null;
        }

        return entry.Effect;
    }
}
