namespace OmegaDb;

/// <summary>A table (plain, partitioned or foreign) with its columns, constraints, indexes and triggers.</summary>
public sealed class OmegaTable
{
    public string Schema { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string FullName => SchemaNames.Qualify(Schema, Name);

    /// <summary>Table, PartitionedTable or ForeignTable.</summary>
    public string Kind { get; init; } = "Table";

    /// <summary>The partition key (PARTITION BY ...), for a partitioned table.</summary>
    public string? PartitionKey { get; init; }

    /// <summary>For a partition: its parent and bounds (FOR VALUES ...).</summary>
    public string? PartitionOf { get; init; }

    public string? PartitionBound { get; init; }

    /// <summary>Parents of a table made with INHERITS, in order.</summary>
    public IReadOnlyList<string> Inherits { get; init; } = [];

    public bool RowSecurity { get; init; }

    public string? Comment { get; init; }

    public IReadOnlyList<OmegaColumn> Columns { get; init; } = [];

    public IReadOnlyList<OmegaConstraint> Constraints { get; init; } = [];

    public IReadOnlyList<OmegaIndex> Indexes { get; init; } = [];

    public IReadOnlyList<OmegaTrigger> Triggers { get; init; } = [];

    public OmegaColumn? GetColumn(string name) => Columns.FirstOrDefault(c => c.Name == name);

    public override string ToString() => FullName;
}
