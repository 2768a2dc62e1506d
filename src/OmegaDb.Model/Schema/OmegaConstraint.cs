namespace OmegaDb;

/// <summary>A table constraint. <see cref="Definition"/> is pg_get_constraintdef's text.</summary>
public sealed class OmegaConstraint
{
    public string Name { get; init; } = string.Empty;

    /// <summary>PrimaryKey, ForeignKey, Unique, Check or Exclusion.</summary>
    public string Type { get; init; } = string.Empty;

    public IReadOnlyList<string> Columns { get; init; } = [];

    public string Definition { get; init; } = string.Empty;

    /// <summary>False for a constraint added NOT VALID and not validated since.</summary>
    public bool Validated { get; init; } = true;

    public bool Deferrable { get; init; }

    public bool InitiallyDeferred { get; init; }

    /// <summary>For a foreign key: the referenced table (<c>schema.table</c>) and columns.</summary>
    public string? ReferencedTable { get; init; }

    public IReadOnlyList<string> ReferencedColumns { get; init; } = [];

    public string? Comment { get; init; }

    public override string ToString() => $"{Name} {Definition}";
}
