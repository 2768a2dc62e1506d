namespace OmegaDb.Schema;

/// <summary>
/// What <see cref="SchemaReader"/> captures. Every filter is a list of wildcard patterns
/// (<see cref="NamePattern"/>); an empty list means no filter. The system schemas
/// (pg_catalog, information_schema, pg_toast and the temporary ones) are never captured.
/// </summary>
public sealed record SchemaReadOptions
{
    /// <summary>The schema where OmegaDb records the migrations it applied: its content is not the user's schema.</summary>
    public const string HistorySchema = "omegadb";

    /// <summary>Only schemas matching one of these; every kind of object is limited to them, extensions by the schema they live in.</summary>
    public IReadOnlyList<string> Schemas { get; init; } = [];

    /// <summary>
    /// Only tables, views, materialized views and sequences whose name or <c>schema.name</c>
    /// matches one of these. A table filter narrows the snapshot to relations, so types,
    /// functions and extensions are not captured at all.
    /// </summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Schemas left out even when <see cref="Schemas"/> matches them.</summary>
    public IReadOnlyList<string> ExcludedSchemas { get; init; } = [HistorySchema];

    public static SchemaReadOptions Default { get; } = new();
}
