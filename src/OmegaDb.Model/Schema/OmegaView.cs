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

    /// <summary>
    /// The view's options as <c>name=value</c>, sorted: <c>check_option=local</c>,
    /// <c>security_barrier=true</c>, <c>security_invoker=true</c>. They change what the view
    /// lets through, and pg_get_viewdef does not print them.
    /// </summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    public IReadOnlyList<OmegaColumn> Columns { get; init; } = [];

    /// <summary>Indexes of a materialized view.</summary>
    public IReadOnlyList<OmegaIndex> Indexes { get; init; } = [];

    public IReadOnlyList<OmegaTrigger> Triggers { get; init; } = [];

    public string? Comment { get; init; }

    public override string ToString() => FullName;
}
