namespace OmegaDb.Data;

/// <summary>What <see cref="DataCopier"/> copies, and how.</summary>
public sealed class DataCopyOptions
{
    /// <summary>Wildcard patterns matched against <c>table</c> and <c>schema.table</c>; empty means every table.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>
    /// At most this many rows per table, plus the parent rows they reference so that foreign
    /// keys hold. Null copies every row (that <see cref="Where"/> lets through).
    /// </summary>
    public long? Limit { get; init; }

    /// <summary>A predicate (SQL, as after WHERE) applied to every selected table.</summary>
    public string? Where { get; init; }

    /// <summary>Per-table predicates: key <c>table</c> or <c>schema.table</c> (wildcards allowed); wins over <see cref="Where"/>.</summary>
    public IReadOnlyDictionary<string, string> TableWhere { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Column masks: key <c>table.column</c> or <c>schema.table.column</c>; value a masker name
    /// (Email, Name, Hash, Null, <c>Fixed:value</c>) or a dictionary <c>{ Fixed = value }</c>.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Masks { get; init; } = new Dictionary<string, object?>();

    /// <summary>Wildcard patterns, as <see cref="Tables"/>, of tables left out even when <see cref="Tables"/> selects them.</summary>
    public IReadOnlyList<string> ExcludedTables { get; init; } = [];

    /// <summary>Empties the destination tables first, in the same transaction as the copy.</summary>
    public bool Truncate { get; init; }

    /// <summary>Whether rows are picked per table (and closed over foreign keys) rather than copied whole.</summary>
    internal bool Samples => Limit is not null || !string.IsNullOrWhiteSpace(Where) || TableWhere.Count > 0;
}
