namespace OmegaDb;

/// <summary>
/// A sequence's definition; its current value is data, not schema, and is not captured.
/// Sequences behind identity columns belong to their column and are not listed here.
/// </summary>
public sealed class OmegaSequence
{
    public string Schema { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string FullName => SchemaNames.Qualify(Schema, Name);

    public string DataType { get; init; } = "bigint";

    public long Start { get; init; }

    public long Increment { get; init; }

    public long Minimum { get; init; }

    public long Maximum { get; init; }

    public long Cache { get; init; }

    public bool Cycle { get; init; }

    /// <summary>The column that owns it (<c>schema.table.column</c>), as serial columns do.</summary>
    public string? OwnedBy { get; init; }

    public string? Comment { get; init; }

    public override string ToString() => FullName;
}
