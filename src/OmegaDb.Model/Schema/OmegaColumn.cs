namespace OmegaDb;

/// <summary>A column as PostgreSQL describes it (format_type, pg_get_expr).</summary>
public sealed class OmegaColumn
{
    public string Name { get; init; } = string.Empty;

    /// <summary>1-based position among the table's live columns (dropped columns leave no gap).</summary>
    public int Position { get; init; }

    /// <summary>The type as PostgreSQL prints it: <c>character varying(20)</c>, <c>timestamp with time zone</c>.</summary>
    public string Type { get; init; } = string.Empty;

    public bool NotNull { get; init; }

    public bool Nullable => !NotNull;

    public string? Default { get; init; }

    /// <summary>Always or ByDefault for an identity column.</summary>
    public string? Identity { get; init; }

    /// <summary>The expression of a stored generated column.</summary>
    public string? Generated { get; init; }

    /// <summary>The collation, when it is not the type's default.</summary>
    public string? Collation { get; init; }

    public string? Comment { get; init; }

    public override string ToString() => $"{Name} {Type}";
}
