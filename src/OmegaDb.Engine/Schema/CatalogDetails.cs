using Npgsql;

namespace OmegaDb.Schema;

/// <summary>
/// The detail queries of a read, one per kind of object over everything the
/// <see cref="SchemaScope"/> selected, and their rows mapped to the model, sorted ordinally
/// so the snapshot depends neither on the server's collation nor on the order rows come back.
/// The queries come in two groups that can run on one connection or on two at once.
/// </summary>
internal sealed class CatalogDetails
{
    private static readonly StringComparer Ordinal = StringComparer.Ordinal;

    private readonly SchemaScope _scope;
    private readonly List<TableRow> _tables = [];
    private readonly Dictionary<uint, List<(short Number, OmegaColumn Column)>> _columnRows = [];
    private readonly Dictionary<uint, List<OmegaColumn>> _columns = [];
    private readonly Dictionary<(uint Relation, short Number), string> _columnNames = [];
    private readonly List<KeyRows> _keyRows = [];
    private readonly Dictionary<uint, List<OmegaConstraint>> _constraints = [];
    private readonly Dictionary<uint, List<OmegaIndex>> _indexes = [];
    private readonly Dictionary<uint, List<OmegaTrigger>> _triggers = [];
    private readonly List<ViewRow> _viewRows = [];
    private readonly List<OmegaSequence> _sequences = [];
    private readonly List<OmegaType> _types = [];
    private readonly List<OmegaFunction> _functions = [];
    private readonly List<OmegaExtension> _extensions = [];

    public CatalogDetails(SchemaScope scope) => _scope = scope;

    public IReadOnlyList<OmegaTable> Tables { get; private set; } = [];

    public IReadOnlyList<OmegaView> Views { get; private set; } = [];

    public IReadOnlyList<OmegaSequence> Sequences { get; private set; } = [];

    public IReadOnlyList<OmegaType> Types { get; private set; } = [];

    public IReadOnlyList<OmegaFunction> Functions { get; private set; } = [];

    public IReadOnlyList<OmegaExtension> Extensions { get; private set; } = [];

    /// <summary>
    /// Everything but keys. Cheap for the server: a default cannot refer to a column, so
    /// none of these makes PostgreSQL load the tables themselves.
    /// </summary>
    /// <param name="routines">Types, functions and extensions too; without, only what belongs to relations.</param>
    public IReadOnlyList<CatalogQuery> ObjectQueries(bool routines = true) =>
    [
        new(CatalogBatch.Command(CatalogQueries.Tables, _scope.TableOids), ReadTable),
        new(CatalogBatch.Command(CatalogQueries.Columns, _scope.RelationOids), ReadColumn),
        new(CatalogBatch.Command(CatalogQueries.Triggers, _scope.RelationOids), ReadTrigger),
        new(CatalogBatch.Command(CatalogQueries.Views, _scope.ViewOids), ReadView),
        new(CatalogBatch.Command(CatalogQueries.Sequences, _scope.SequenceOids), ReadSequence),
        .. routines
            ? (CatalogQuery[])
            [
                new(CatalogBatch.Command(CatalogQueries.Types, _scope.NamespaceOids), ReadType),
                new(CatalogBatch.Command(CatalogQueries.Functions, _scope.NamespaceOids), ReadFunction),
                new(CatalogBatch.Command(CatalogQueries.Extensions), ReadExtension),
            ]
            : [],
    ];

    /// <summary>
    /// Constraints and indexes of some of the relations: the bulk of the server's work, since
    /// deparsing them loads each table into the backend's relation cache. Split by relation,
    /// two connections share that work without both loading every table. Each call gets its
    /// own rows, so two calls can be read on two connections at once.
    /// </summary>
    public IReadOnlyList<CatalogQuery> KeyQueries(RelationShare share)
    {
        var rows = new KeyRows();
        _keyRows.Add(rows);
        return
        [
            new(CatalogBatch.Command(CatalogQueries.Constraints, share.TableOids, _scope.TableOids), r => rows.Constraints.Add(ReadConstraint(r))),
            new(CatalogBatch.Command(CatalogQueries.Indexes, share.RelationOids), r => rows.Indexes.Add(ReadIndex(r))),
        ];
    }

    /// <summary>Builds the model once every query has been read; rows from different queries meet only here.</summary>
    public void Assemble()
    {
        NumberColumns();
        foreach (var rows in _keyRows)
        {
            foreach (var row in rows.Constraints)
            {
                ListFor(_constraints, row.Table).Add(row.ToConstraint(this));
            }

            foreach (var (relation, index) in rows.Indexes)
            {
                ListFor(_indexes, relation).Add(index);
            }
        }

        Tables = _tables.Select(t => new OmegaTable
        {
            Schema = t.Relation.Schema,
            Name = t.Relation.Name,
            Kind = t.Relation.Kind switch { 'p' => "PartitionedTable", 'f' => "ForeignTable", _ => "Table" },
            PartitionKey = t.PartitionKey,
            PartitionOf = t.IsPartition ? t.Parents.FirstOrDefault() : null,
            PartitionBound = t.PartitionBound,
            Inherits = t.IsPartition ? [] : t.Parents,
            RowSecurity = t.RowSecurity,
            Comment = t.Comment,
            Columns = ChildrenOf(_columns, t.Relation.Oid),
            Constraints = SortedByName(_constraints, t.Relation.Oid, c => c.Name),
            Indexes = SortedByName(_indexes, t.Relation.Oid, i => i.Name),
            Triggers = SortedByName(_triggers, t.Relation.Oid, t => t.Name),
        }).OrderBy(t => t.Schema, Ordinal).ThenBy(t => t.Name, Ordinal).ToArray();

        Views = _viewRows.Select(v => new OmegaView
        {
            Schema = v.Relation.Schema,
            Name = v.Relation.Name,
            Materialized = v.Relation.Kind == 'm',
            Definition = v.Definition,
            Options = v.Options,
            Comment = v.Comment,
            Columns = ChildrenOf(_columns, v.Relation.Oid),
            Indexes = SortedByName(_indexes, v.Relation.Oid, i => i.Name),
            Triggers = SortedByName(_triggers, v.Relation.Oid, t => t.Name),
        }).OrderBy(v => v.Schema, Ordinal).ThenBy(v => v.Name, Ordinal).ToArray();

        Sequences = _sequences.OrderBy(s => s.Schema, Ordinal).ThenBy(s => s.Name, Ordinal).ToArray();
        Types = _types.OrderBy(t => t.Schema, Ordinal).ThenBy(t => t.Name, Ordinal).ToArray();
        Functions = _functions.OrderBy(f => f.Schema, Ordinal).ThenBy(f => f.Name, Ordinal).ThenBy(f => f.Arguments, Ordinal).ToArray();
        Extensions = _scope.RelationsOnly ? [] : _extensions.Where(e => _scope.IncludesSchema(e.Schema)).OrderBy(e => e.Name, Ordinal).ToArray();
    }

    private void ReadTable(NpgsqlDataReader r) => _tables.Add(new TableRow(
        _scope.Relations[r.GetFieldValue<uint>(0)],
        RowSecurity: r.GetBoolean(2),
        IsPartition: r.GetBoolean(3),
        PartitionKey: r.NullableString(4),
        PartitionBound: r.NullableString(5),
        Parents: r.StringArray(6),
        Comment: r.NullableString(7)));

    private void ReadColumn(NpgsqlDataReader r)
    {
        var generated = r.GetChar(6) == 's';
        var expression = r.NullableString(5);
        ListFor(_columnRows, r.GetFieldValue<uint>(0)).Add((r.GetInt16(1), new OmegaColumn
        {
            Name = r.GetString(2),
            Type = r.GetString(3),
            NotNull = r.GetBoolean(4),
            Default = generated ? null : expression,
            Generated = generated ? expression : null,
            Identity = r.GetChar(7) switch { 'a' => "Always", 'd' => "ByDefault", _ => null },
            Collation = r.NullableString(8),
            Comment = r.NullableString(9),
        }));
    }

    /// <summary>Orders each relation's columns by attnum and numbers them: dropped columns were never read, so they leave no gap.</summary>
    private void NumberColumns()
    {
        foreach (var (oid, rows) in _columnRows)
        {
            rows.Sort((x, y) => x.Number.CompareTo(y.Number));
            var columns = new List<OmegaColumn>(rows.Count);
            foreach (var (number, column) in rows)
            {
                _columnNames[(oid, number)] = column.Name;
                columns.Add(new OmegaColumn
                {
                    Name = column.Name, Position = columns.Count + 1, Type = column.Type, NotNull = column.NotNull,
                    Default = column.Default, Generated = column.Generated, Identity = column.Identity,
                    Collation = column.Collation, Comment = column.Comment,
                });
            }

            _columns[oid] = columns;
        }
    }

    /// <summary>Names for attnums of a relation this read has the columns of.</summary>
    private List<string> ColumnNames(uint relation, short[] numbers)
    {
        var names = new List<string>(numbers.Length);
        foreach (var number in numbers)
        {
            // An exclusion constraint's expression element is numbered 0: it has no column name.
            if (_columnNames.TryGetValue((relation, number), out var name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static ConstraintRow ReadConstraint(NpgsqlDataReader r) => new(
        Table: r.GetFieldValue<uint>(0),
        Name: r.GetString(1),
        Type: r.GetChar(2),
        Keys: r.IsDBNull(3) ? [] : r.GetFieldValue<short[]>(3),
        Definition: r.GetString(4),
        Validated: r.GetBoolean(5),
        Deferrable: r.GetBoolean(6),
        InitiallyDeferred: r.GetBoolean(7),
        ReferencedTable: r.NullableString(8),
        ReferencedOid: r.GetFieldValue<uint>(9),
        ReferencedKeys: r.IsDBNull(10) ? [] : r.GetFieldValue<short[]>(10),
        ReferencedNames: r.IsDBNull(11) ? null : r.GetFieldValue<string[]>(11),
        Comment: r.NullableString(12));

    private static (uint Relation, OmegaIndex Index) ReadIndex(NpgsqlDataReader r)
    {
        var definition = r.GetString(9);
        var (keys, include) = IndexDefinition.Split(definition);
        return (r.GetFieldValue<uint>(0), new OmegaIndex
        {
            Name = r.GetString(1),
            Method = r.GetString(2),
            Columns = keys,
            Include = include,
            Unique = r.GetBoolean(5),
            Primary = r.GetBoolean(6),
            Valid = r.GetBoolean(7),
            Constraint = r.NullableString(8),
            Definition = definition,
            Where = r.NullableString(10),
            Comment = r.NullableString(11),
        });
    }

    private void ReadTrigger(NpgsqlDataReader r)
    {
        var type = r.GetInt16(2);
        ListFor(_triggers, r.GetFieldValue<uint>(0)).Add(new OmegaTrigger
        {
            Name = r.GetString(1),
            Timing = TriggerType.Timing(type),
            Events = TriggerType.Events(type),
            Level = TriggerType.Level(type),
            Enabled = TriggerType.Enabled(r.GetChar(3)),
            Function = r.GetString(4),
            Definition = r.GetString(5),
        });
    }

    private void ReadView(NpgsqlDataReader r) => _viewRows.Add(new ViewRow(
        _scope.Relations[r.GetFieldValue<uint>(0)], Definition: r.GetString(1), Comment: r.NullableString(2),
        Options: r.StringArray(3).Order(Ordinal).ToArray()));

    private void ReadSequence(NpgsqlDataReader r)
    {
        var relation = _scope.Relations[r.GetFieldValue<uint>(0)];
        _sequences.Add(new OmegaSequence
        {
            Schema = relation.Schema,
            Name = relation.Name,
            DataType = r.GetString(1),
            Start = r.GetInt64(2),
            Increment = r.GetInt64(3),
            Minimum = r.GetInt64(4),
            Maximum = r.GetInt64(5),
            Cache = r.GetInt64(6),
            Cycle = r.GetBoolean(7),
            OwnedBy = r.NullableString(8),
            Comment = r.NullableString(9),
        });
    }

    private void ReadType(NpgsqlDataReader r) => _types.Add(new OmegaType
    {
        Schema = r.GetString(0),
        Name = r.GetString(1),
        Kind = r.GetChar(2) switch
        {
            'e' => "Enum",
            'd' => "Domain",
            'c' => "Composite",
            _ => "Range",
        },
        BaseType = r.NullableString(3),
        NotNull = r.GetBoolean(4),
        Default = r.NullableString(5),
        Values = r.StringArray(6),
        Constraints = r.StringArray(7).Order(Ordinal).ToArray(),
        Attributes = r.StringArray(8),
        Comment = r.NullableString(9),
    });

    private void ReadFunction(NpgsqlDataReader r)
    {
        var schema = r.GetString(0);
        var name = r.GetString(1);
        var kind = r.GetChar(2);
        var arguments = r.GetString(3);
        _functions.Add(new OmegaFunction
        {
            Schema = schema,
            Name = name,
            Kind = kind switch
            {
                'p' => "Procedure",
                'a' => "Aggregate",
                'w' => "Window",
                _ => "Function",
            },
            Arguments = arguments,
            Returns = r.NullableString(4),
            Language = r.GetString(5),
            Volatility = r.GetChar(6) switch
            {
                'i' => "Immutable",
                's' => "Stable",
                _ => "Volatile",
            },
            SecurityDefiner = r.GetBoolean(7),
            Definition = kind == 'a' ? ReadAggregate(r, SchemaNames.Qualify(schema, name), arguments) : r.GetString(8),
            Comment = r.NullableString(9),
        });
    }

    private static string ReadAggregate(NpgsqlDataReader r, string qualifiedName, string arguments) => new AggregateDefinition
    {
        QualifiedName = qualifiedName,
        Arguments = arguments,
        Kind = r.GetChar(10),
        TransitionFunction = r.GetString(12),
        StateType = r.GetString(13),
        StateSpace = r.GetInt32(14),
        FinalFunction = r.NullableString(15),
        FinalExtra = r.GetBoolean(16),
        FinalModify = r.GetChar(17),
        CombineFunction = r.NullableString(18),
        SerialFunction = r.NullableString(19),
        DeserialFunction = r.NullableString(20),
        InitialCondition = r.NullableString(21),
        MovingTransitionFunction = r.NullableString(22),
        MovingInverseFunction = r.NullableString(23),
        MovingStateType = r.NullableString(24),
        MovingStateSpace = r.GetInt32(25),
        MovingFinalFunction = r.NullableString(26),
        MovingFinalExtra = r.GetBoolean(27),
        MovingFinalModify = r.GetChar(28),
        MovingInitialCondition = r.NullableString(29),
        SortOperator = r.NullableString(30),
        Parallel = r.GetChar(31),
    }.ToString();

    private void ReadExtension(NpgsqlDataReader r) => _extensions.Add(new OmegaExtension
    {
        Name = r.GetString(0),
        Version = r.GetString(1),
        Schema = r.GetString(2),
    });

    private static List<T> ListFor<T>(Dictionary<uint, List<T>> lists, uint oid)
    {
        if (!lists.TryGetValue(oid, out var list))
        {
            list = [];
            lists[oid] = list;
        }

        return list;
    }

    private static IReadOnlyList<T> ChildrenOf<T>(Dictionary<uint, List<T>> lists, uint oid) =>
        lists.TryGetValue(oid, out var list) ? list : [];

    private static IReadOnlyList<T> SortedByName<T>(Dictionary<uint, List<T>> lists, uint oid, Func<T, string> name) =>
        lists.TryGetValue(oid, out var list) ? list.OrderBy(name, Ordinal).ToArray() : [];

    private sealed record TableRow(
        CatalogRelation Relation,
        bool RowSecurity,
        bool IsPartition,
        string? PartitionKey,
        string? PartitionBound,
        IReadOnlyList<string> Parents,
        string? Comment);

    /// <summary>What one pair of key queries read, kept apart until <see cref="Assemble"/>.</summary>
    private sealed class KeyRows
    {
        public List<ConstraintRow> Constraints { get; } = [];

        public List<(uint Relation, OmegaIndex Index)> Indexes { get; } = [];
    }

    private sealed record ViewRow(CatalogRelation Relation, string Definition, string? Comment, IReadOnlyList<string> Options);

    /// <summary>A constraint with its columns still as attnums, named once all columns are read.</summary>
    private sealed record ConstraintRow(
        uint Table,
        string Name,
        char Type,
        short[] Keys,
        string Definition,
        bool Validated,
        bool Deferrable,
        bool InitiallyDeferred,
        string? ReferencedTable,
        uint ReferencedOid,
        short[] ReferencedKeys,
        string[]? ReferencedNames,
        string? Comment)
    {
        public OmegaConstraint ToConstraint(CatalogDetails details) => new()
        {
            Name = Name,
            Type = Type switch
            {
                'p' => "PrimaryKey",
                'f' => "ForeignKey",
                'u' => "Unique",
                'c' => "Check",
                _ => "Exclusion",
            },
            Columns = details.ColumnNames(Table, Keys),
            Definition = Definition,
            Validated = Validated,
            Deferrable = Deferrable,
            InitiallyDeferred = InitiallyDeferred,
            ReferencedTable = ReferencedTable,
            // The server names the columns of a referenced table outside the read.
            ReferencedColumns = Type != 'f' ? [] : ReferencedNames ?? (IReadOnlyList<string>)details.ColumnNames(ReferencedOid, ReferencedKeys),
            Comment = Comment,
        };
    }
}
