namespace OmegaDb.Data;

/// <summary>A column as the copy needs it: whether COPY may write it, and how its values travel.</summary>
/// <param name="NeedsText">
/// Binary COPY of this type would carry type OIDs, which differ between databases (arrays and
/// composites of user types), or needs send/receive functions an extension type may lack.
/// </param>
internal sealed record CopyColumn(string Name, string Type, bool NotNull, bool Generated, bool IsString, bool NeedsText)
{
    public string Sql => Data.Sql.Quote(Name);
}

/// <summary>A plain or partitioned table (partitions are copied through their parent).</summary>
internal sealed record CopyTable(uint Oid, string Schema, string Name, bool Partitioned, IReadOnlyList<CopyColumn> Columns)
{
    public string FullName => SchemaNames.Qualify(Schema, Name);

    public string Sql => $"{Data.Sql.Quote(Schema)}.{Data.Sql.Quote(Name)}";

    /// <summary>For a query: a plain table without its inheritance children; a partitioned table with its partitions.</summary>
    public string FromSql => Partitioned ? Sql : "ONLY " + Sql;

    /// <summary>The columns COPY can write: generated columns are computed by the destination.</summary>
    public IEnumerable<CopyColumn> Copied => Columns.Where(c => !c.Generated);

    public CopyColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    public override string ToString() => FullName;
}

/// <summary>A foreign key: <see cref="Child"/>'s columns reference <see cref="Parent"/>'s.</summary>
internal sealed record ForeignKeyEdge(string Name, uint Child, IReadOnlyList<string> ChildColumns, uint Parent, IReadOnlyList<string> ParentColumns, bool Deferrable)
{
    public bool IsSelfReference => Child == Parent;
}

/// <summary>A sequence that feeds a column (serial or identity), to move past the copied values.</summary>
internal sealed record ColumnSequence(uint Table, string Column, string Sequence, long Increment);
