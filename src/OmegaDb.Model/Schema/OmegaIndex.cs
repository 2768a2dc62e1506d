namespace OmegaDb;

/// <summary>An index on a table or materialized view.</summary>
public sealed class OmegaIndex
{
    public string Name { get; init; } = string.Empty;

    /// <summary>The access method: btree, gin, gist, hash, brin, spgist...</summary>
    public string Method { get; init; } = string.Empty;

    /// <summary>Key columns, or the expression for an expression key, with any opclass, collation and ordering.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>INCLUDE columns.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>The partial index predicate (WHERE ...), as PostgreSQL prints it.</summary>
    public string? Where { get; init; }

    public bool Unique { get; init; }

    public bool Primary { get; init; }

    /// <summary>False when an index build failed (a failed CREATE INDEX CONCURRENTLY leaves one).</summary>
    public bool Valid { get; init; } = true;

    /// <summary>The constraint the index implements (primary key, unique, exclusion), when any.</summary>
    public string? Constraint { get; init; }

    /// <summary>pg_get_indexdef's CREATE INDEX statement.</summary>
    public string Definition { get; init; } = string.Empty;

    public string? Comment { get; init; }

    public override string ToString() => Name;
}
