namespace OmegaDb;

/// <summary>One index's use since the server's statistics were last reset (pg_stat_user_indexes).</summary>
public sealed class OmegaIndexUsage
{
    public OmegaDatabase? Database { get; init; }

    public string Schema { get; init; } = string.Empty;

    public string Table { get; init; } = string.Empty;

    public string Index { get; init; } = string.Empty;

    public long Scans { get; init; }

    public long TuplesRead { get; init; }

    public long TuplesFetched { get; init; }

    public long SizeBytes { get; init; }

    public bool IsUnique { get; init; }

    public bool IsPrimary { get; init; }

    /// <summary>The constraint the index backs (primary key, unique, exclusion), if any.</summary>
    public string? Constraint { get; init; }

    /// <summary>Never scanned, and neither unique nor backing a constraint: a candidate for removal.</summary>
    public bool Unused { get; init; }

    public DateTimeOffset? LastScan { get; init; }

    public string Definition { get; init; } = string.Empty;

    public override string ToString() => $"{Schema}.{Index}";
}
