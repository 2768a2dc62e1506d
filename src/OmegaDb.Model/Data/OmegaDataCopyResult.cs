namespace OmegaDb;

/// <summary>
/// What Copy-OmegaData (or a sandbox made with -SampleRows) copied into one table.
/// <see cref="Database"/> is the destination, so a result pipes on to cmdlets that take -Database.
/// </summary>
public sealed class OmegaDataCopyResult
{
    /// <summary>The destination database.</summary>
    public OmegaDatabase? Database { get; init; }

    /// <summary>The source's name (no URI, so no credentials).</summary>
    public string Source { get; init; } = string.Empty;

    public string Destination { get; init; } = string.Empty;

    public string Schema { get; init; } = string.Empty;

    public string Table { get; init; } = string.Empty;

    public string FullName => SchemaNames.Qualify(Schema, Table);

    public long Rows { get; init; }

    /// <summary>COPY data streamed from the source into the destination.</summary>
    public long Bytes { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>The masked columns as <c>column=Masker</c>.</summary>
    public IReadOnlyList<string> MaskedColumns { get; init; } = [];

    /// <summary>True when only some rows were copied (-Limit or -Where) plus the parent rows they reference.</summary>
    public bool Sampled { get; init; }

    /// <summary>The row filter applied to this table, if any.</summary>
    public string? Where { get; init; }

    public override string ToString() => $"{FullName}: {Rows} rows";
}
