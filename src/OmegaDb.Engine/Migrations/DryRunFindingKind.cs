namespace OmegaDb.Migrations;

/// <summary>What the static analysis found about a statement, in the order a dry run weighs them.</summary>
internal enum DryRunFindingKind
{
    /// <summary>
    /// The statement starts, ends or prepares a transaction (BEGIN, COMMIT, END, ROLLBACK,
    /// ABORT, PREPARE TRANSACTION, ...). A dry run is refused before anything runs: one such
    /// statement would commit what the dry run promised to roll back.
    /// </summary>
    TransactionControl,

    /// <summary>
    /// PostgreSQL refuses the statement inside a transaction block (CREATE INDEX CONCURRENTLY,
    /// VACUUM, ...), so it cannot be rehearsed as written; some are rehearsed in a rewritten form.
    /// </summary>
    NotTransactional,

    /// <summary>A side effect a rollback does not undo (sequence values, dblink, files written): a warning.</summary>
    NotUndoable,

    /// <summary>Something a migration run cannot do at all, such as a psql meta-command or COPY FROM STDIN.</summary>
    Unsupported,
}
