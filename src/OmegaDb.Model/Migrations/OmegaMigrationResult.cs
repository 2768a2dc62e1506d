namespace OmegaDb;

public enum MigrationResultStatus
{
    Applied,
    DryRun,
    Undone,
    Failed,
    Skipped,
}

public enum VerifyOutcome
{
    /// <summary>The migration has no verify section.</summary>
    None,
    Passed,
    Failed,

    /// <summary>The migration failed before its verify section ran.</summary>
    NotRun,
}

/// <summary>What one migration (or undo) did to one database.</summary>
public sealed record OmegaMigrationResult
{
    public OmegaDatabase? Database { get; init; }

    public long Version { get; init; }

    public string Name { get; init; } = string.Empty;

    public string? Path { get; init; }

    /// <summary>The checksum of the file that ran.</summary>
    public string Checksum { get; init; } = string.Empty;

    public MigrationResultStatus Status { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Relation locks its own backend held at the end of the migration's transaction.</summary>
    public IReadOnlyList<OmegaLock> Locks { get; init; } = [];

    /// <summary>Tables, indexes and materialized views whose storage was rewritten (their file node changed).</summary>
    public IReadOnlyList<string> RewrittenTables { get; init; } = [];

    /// <summary>The schema after the migration (inside its transaction, for a dry run).</summary>
    public OmegaSchema? Schema { get; init; }

    /// <summary>The migration's changes: the schema before it against the schema after it.</summary>
    public IReadOnlyList<OmegaSchemaChange> Changes { get; init; } = [];

    public VerifyOutcome Verify { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>For an undo: the data its down section destroys.</summary>
    public IReadOnlyList<OmegaDataLoss> DataLoss { get; init; } = [];

    public OmegaMigrationError? Error { get; init; }

    /// <summary>Attempts made: more than one when a lock timeout was retried.</summary>
    public int Attempts { get; init; } = 1;

    public override string ToString() => $"{Version} {Name}: {Status}";
}

/// <summary>A relation lock held by the migration's own backend.</summary>
public sealed class OmegaLock
{
    /// <summary><c>schema.name</c> of the table, index, sequence or view.</summary>
    public string Relation { get; init; } = string.Empty;

    /// <summary>Table, Index, Sequence, View, MaterializedView...</summary>
    public string RelationKind { get; init; } = string.Empty;

    /// <summary>AccessShareLock ... AccessExclusiveLock.</summary>
    public string Mode { get; init; } = string.Empty;

    public override string ToString() => $"{Mode} on {Relation}";
}

/// <summary>Where and why a migration failed.</summary>
public sealed class OmegaMigrationError
{
    public string? SqlState { get; init; }

    public string Message { get; init; } = string.Empty;

    public string? Detail { get; init; }

    public string? Hint { get; init; }

    public string? File { get; init; }

    public int? Line { get; init; }

    public int? Column { get; init; }

    /// <summary>The failing statement (the first lines of it).</summary>
    public string? Statement { get; init; }

    public override string ToString() =>
        $"{(SqlState is null ? string.Empty : SqlState + ": ")}{Message}{(File is null ? string.Empty : $" ({File}:{Line}:{Column})")}";
}

/// <summary>Data a down section would destroy, measured before it runs.</summary>
public sealed class OmegaDataLoss
{
    /// <summary>Table, Column, Rows.</summary>
    public string ObjectType { get; init; } = string.Empty;

    /// <summary><c>schema.table</c> or <c>schema.table.column</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Rows of a dropped table, non-null values of a dropped column, rows a TRUNCATE or DELETE removes.</summary>
    public long Count { get; init; }

    /// <summary>The statement that destroys it.</summary>
    public string Statement { get; init; } = string.Empty;

    /// <summary>
    /// The loss in a sentence, for reports: which migration, what the statement does and what
    /// it destroys ("002_user_profile_basic_fields: DROP COLUMN public.user_profiles.bio destroys 2,345 non-null values").
    /// </summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>False when the count could not be taken (Count is then 0): the loss is unknown, and the undo treats it as a loss.</summary>
    public bool Counted { get; init; } = true;

    public override string ToString() => $"{ObjectType} {Name}: {Count}";
}
