namespace OmegaDb;

/// <summary>A view or materialized view.</summary>
public sealed class OmegaView
{
    public string Schema { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string FullName => SchemaNames.Qualify(Schema, Name);

    public bool Materialized { get; init; }

    /// <summary>The query, as pg_get_viewdef prints it.</summary>
    public string Definition { get; init; } = string.Empty;

    public IReadOnlyList<OmegaColumn> Columns { get; init; } = [];

    /// <summary>Indexes of a materialized view.</summary>
    public IReadOnlyList<OmegaIndex> Indexes { get; init; } = [];

    public IReadOnlyList<OmegaTrigger> Triggers { get; init; } = [];

    public string? Comment { get; init; }

    public override string ToString() => FullName;
}
