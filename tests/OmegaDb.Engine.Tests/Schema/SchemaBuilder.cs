namespace OmegaDb.Tests.Schema;

/// <summary>
/// Builds schema snapshots by hand, shaped the way the catalog reader fills them (qualified
/// names, format_type types, printed expressions), so these tests need no database.
/// </summary>
internal static class SchemaBuilder
{
    public static OmegaSchema Snapshot(params object[] objects) => new()
    {
        Schemas = objects.OfType<string>().ToList(),
        Tables = objects.OfType<OmegaTable>().ToList(),
        Views = objects.OfType<OmegaView>().ToList(),
        Sequences = objects.OfType<OmegaSequence>().ToList(),
        Types = objects.OfType<OmegaType>().ToList(),
        Functions = objects.OfType<OmegaFunction>().ToList(),
        Extensions = objects.OfType<OmegaExtension>().ToList(),
    };

    /// <summary>A table from its qualified name and any mix of columns, constraints, indexes and triggers; columns are numbered in order.</summary>
    public static OmegaTable Table(string fullName, params object[] children)
    {
        var (schema, name) = Split(fullName);
        return new OmegaTable
        {
            Schema = schema,
            Name = name,
            Columns = Numbered(children.OfType<OmegaColumn>()),
            Constraints = children.OfType<OmegaConstraint>().ToList(),
            Indexes = children.OfType<OmegaIndex>().ToList(),
            Triggers = children.OfType<OmegaTrigger>().ToList(),
        };
    }

    public static OmegaView View(string fullName, string definition = " SELECT 1;", bool materialized = false, params object[] children)
    {
        var (schema, name) = Split(fullName);
        return new OmegaView
        {
            Schema = schema,
            Name = name,
            Definition = definition,
            Materialized = materialized,
            Columns = Numbered(children.OfType<OmegaColumn>()),
            Indexes = children.OfType<OmegaIndex>().ToList(),
            Triggers = children.OfType<OmegaTrigger>().ToList(),
        };
    }

    public static OmegaColumn Column(string name, string type, bool notNull = false, string? @default = null) =>
        new() { Name = name, Type = type, NotNull = notNull, Default = @default };

    public static OmegaIndex Index(string name, string method, params string[] columns) =>
        new() { Name = name, Method = method, Columns = columns, Definition = $"CREATE INDEX {name} USING {method} ({string.Join(", ", columns)})" };

    public static OmegaConstraint PrimaryKey(string name, params string[] columns) =>
        new() { Name = name, Type = "PrimaryKey", Columns = columns, Definition = $"PRIMARY KEY ({string.Join(", ", columns)})" };

    public static OmegaConstraint ForeignKey(string name, string column, string referencedTable, string referencedColumn = "id") => new()
    {
        Name = name,
        Type = "ForeignKey",
        Columns = [column],
        ReferencedTable = referencedTable,
        ReferencedColumns = [referencedColumn],
        Definition = $"FOREIGN KEY ({column}) REFERENCES {referencedTable}({referencedColumn})",
    };

    public static OmegaTrigger Trigger(string name, string function = "public.touch", string timing = "Before") => new()
    {
        Name = name,
        Timing = timing,
        Events = ["Update"],
        Level = "Row",
        Function = function,
        Definition = $"CREATE TRIGGER {name} {timing.ToUpperInvariant()} UPDATE ON t FOR EACH ROW EXECUTE FUNCTION {function}()",
    };

    public static OmegaSequence Sequence(string fullName, long increment = 1)
    {
        var (schema, name) = Split(fullName);
        return new OmegaSequence
        {
            Schema = schema, Name = name, Start = 1, Increment = increment, Minimum = 1, Maximum = long.MaxValue, Cache = 1,
        };
    }

    public static OmegaType Enum(string fullName, params string[] values)
    {
        var (schema, name) = Split(fullName);
        return new OmegaType { Schema = schema, Name = name, Kind = "Enum", Values = values };
    }

    public static OmegaType Domain(string fullName, string baseType)
    {
        var (schema, name) = Split(fullName);
        return new OmegaType { Schema = schema, Name = name, Kind = "Domain", BaseType = baseType };
    }

    public static OmegaFunction Function(string fullName, string arguments = "", string returns = "integer", string volatility = "Volatile")
    {
        var (schema, name) = Split(fullName);
        return new OmegaFunction
        {
            Schema = schema,
            Name = name,
            Arguments = arguments,
            Returns = returns,
            Language = "sql",
            Volatility = volatility,
            Definition = $"CREATE FUNCTION {fullName}({arguments}) RETURNS {returns} LANGUAGE sql AS $$ SELECT 1 $$",
        };
    }

    public static OmegaExtension Extension(string name, string version = "1.3", string schema = "public") =>
        new() { Name = name, Version = version, Schema = schema };

    private static List<OmegaColumn> Numbered(IEnumerable<OmegaColumn> columns) =>
        columns.Select((c, i) => new OmegaColumn
        {
            Name = c.Name, Position = c.Position == 0 ? i + 1 : c.Position, Type = c.Type, NotNull = c.NotNull, Default = c.Default,
            Identity = c.Identity, Generated = c.Generated, Collation = c.Collation, Comment = c.Comment,
        }).ToList();

    private static (string Schema, string Name) Split(string fullName)
    {
        var dot = fullName.IndexOf('.', StringComparison.Ordinal);
        return (fullName[..dot], fullName[(dot + 1)..]);
    }
}
