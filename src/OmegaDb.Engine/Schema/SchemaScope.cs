namespace OmegaDb.Schema;

/// <summary>A relation as the first catalog round trip lists it, before any filter.</summary>
internal sealed record CatalogRelation(uint Oid, string Schema, string Name, char Kind)
{
    public string FullName => SchemaNames.Qualify(Schema, Name);

    public bool IsTable => Kind is 'r' or 'p' or 'f';

    public bool IsView => Kind is 'v' or 'm';

    public bool IsSequence => Kind == 'S';
}

/// <summary>Some of a read's tables, and those tables with some of its views: whose keys one connection reads.</summary>
internal sealed record RelationShare(uint[] TableOids, uint[] RelationOids);

/// <summary>
/// What a read covers once the options' patterns are applied to the catalog's names: the
/// oids the detail queries take as parameters. Patterns are matched here, in .NET, so that
/// wildcards behave exactly as in PowerShell, and the queries stay plain oid lookups.
/// </summary>
internal sealed class SchemaScope
{
    private readonly IReadOnlyList<NamePattern> _schemas;
    private readonly IReadOnlyList<NamePattern> _excluded;

    /// <summary>Compiles the options' patterns, so a malformed one fails before the server is asked anything.</summary>
    public SchemaScope(SchemaReadOptions options)
    {
        _schemas = NamePattern.ParseAll(options.Schemas);
        _excluded = NamePattern.ParseAll(options.ExcludedSchemas);
        TablePatterns = NamePattern.ParseAll(options.Tables);
    }

    public IReadOnlyList<NamePattern> TablePatterns { get; }

    /// <summary>A table filter narrows the snapshot to relations: no types, functions or extensions.</summary>
    public bool RelationsOnly => TablePatterns.Count > 0;

    public IReadOnlyList<string> SchemaNames { get; private set; } = [];

    /// <summary>Schemas whose types and functions are read; empty under a table filter.</summary>
    public uint[] NamespaceOids { get; private set; } = [];

    public IReadOnlyDictionary<uint, CatalogRelation> Relations { get; private set; } = new Dictionary<uint, CatalogRelation>();

    public uint[] TableOids { get; private set; } = [];

    public uint[] ViewOids { get; private set; } = [];

    /// <summary>Tables and views: what has columns, indexes and triggers.</summary>
    public uint[] RelationOids { get; private set; } = [];

    public uint[] SequenceOids { get; private set; } = [];

    /// <summary>Selects, among the catalog's schemas and relations, those the options ask for.</summary>
    public void Select(IEnumerable<(uint Oid, string Name)> namespaces, IEnumerable<CatalogRelation> relations)
    {
        var selectedRelations = relations
            .Where(r => IncludesSchema(r.Schema) && MatchesTableFilter(r))
            .ToDictionary(r => r.Oid);
        var selectedNamespaces = namespaces.Where(n => IncludesSchema(n.Name)).ToList();

        Relations = selectedRelations;
        TableOids = selectedRelations.Values.Where(r => r.IsTable).Select(r => r.Oid).ToArray();
        ViewOids = selectedRelations.Values.Where(r => r.IsView).Select(r => r.Oid).ToArray();
        RelationOids = [.. TableOids, .. ViewOids];
        SequenceOids = selectedRelations.Values.Where(r => r.IsSequence).Select(r => r.Oid).ToArray();
        NamespaceOids = RelationsOnly ? [] : selectedNamespaces.Select(n => n.Oid).ToArray();
        var names = RelationsOnly
            ? selectedRelations.Values.Select(r => r.Schema)
            : selectedNamespaces.Select(n => n.Name);
        SchemaNames = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Every table and view, for a read on one connection.</summary>
    public RelationShare AllRelations => new(TableOids, RelationOids);

    /// <summary>
    /// Splits the tables and views between two connections, <paramref name="helperShare"/>
    /// of them (by count, interleaved by oid so that neither gets all the large ones) to the
    /// helper, the rest to the connection that also reads everything else.
    /// </summary>
    public (RelationShare Primary, RelationShare Helper) SplitRelations(double helperShare)
    {
        var ordered = RelationOids.Order().ToArray();
        var tables = TableOids.ToHashSet();
        var primary = new List<uint>();
        var helper = new List<uint>();
        var owed = 0.0;
        foreach (var oid in ordered)
        {
            owed += helperShare;
            if (owed >= 1)
            {
                owed -= 1;
                helper.Add(oid);
            }
            else
            {
                primary.Add(oid);
            }
        }

        return (new RelationShare(primary.Where(tables.Contains).ToArray(), primary.ToArray()),
                new RelationShare(helper.Where(tables.Contains).ToArray(), helper.ToArray()));
    }

    /// <summary>The -Schema filter and the excluded schemas; system schemas never reach this point.</summary>
    public bool IncludesSchema(string schema) =>
        (_schemas.Count == 0 || NamePattern.AnyMatch(_schemas, schema)) && !NamePattern.AnyMatch(_excluded, schema);

    private bool MatchesTableFilter(CatalogRelation relation) =>
        TablePatterns.Count == 0 || NamePattern.AnyMatch(TablePatterns, relation.Name) || NamePattern.AnyMatch(TablePatterns, relation.FullName);
}
