namespace OmegaDb.Data;

/// <summary>How one table is copied: the columns, what replaces masked ones, and which rows.</summary>
/// <param name="Restricted">Rows are picked (a limit or a predicate) rather than all taken.</param>
internal sealed record TableCopyPlan(
    CopyTable Source,
    CopyTable Destination,
    IReadOnlyList<CopyColumn> Columns,
    IReadOnlyDictionary<string, ColumnMask> Masks,
    string? Where,
    bool Restricted)
{
    /// <summary>Text COPY when a column's binary form would not survive between databases; binary otherwise (faster).</summary>
    public bool UsesText => Columns.Any(c => c.NeedsText);

    public string FullName => Source.FullName;

    /// <summary>The select list on the source: masked columns replaced by their masker's expression.</summary>
    public string SelectList => string.Join(", ", Columns.Select(c => Masks.TryGetValue(c.Name, out var mask) ? $"{mask.Expression(c)} AS {c.Sql}" : c.Sql));

    public IReadOnlyList<string> MaskedColumns => Masks.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}").ToArray();
}

/// <summary>Everything decided before a row moves: the tables in fill order, their plans and the foreign keys between them.</summary>
internal sealed record DataCopyPlan(
    IReadOnlyList<IReadOnlyList<TableCopyPlan>> Groups,
    IReadOnlyList<ForeignKeyEdge> ForeignKeys,
    bool Samples)
{
    public IEnumerable<TableCopyPlan> Tables => Groups.SelectMany(g => g);

    /// <summary>Foreign keys between different tables of one group: the cycles.</summary>
    public IEnumerable<ForeignKeyEdge> CycleEdges(IReadOnlyList<TableCopyPlan> group)
    {
        var members = group.Select(t => t.Source.Oid).ToHashSet();
        return ForeignKeys.Where(e => !e.IsSelfReference && members.Contains(e.Child) && members.Contains(e.Parent));
    }
}
