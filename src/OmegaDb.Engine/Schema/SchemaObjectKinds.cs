namespace OmegaDb.Schema;

/// <summary>
/// The comparer's table: for each kind of object, its name and the properties that are
/// compared. Left out on purpose: what names the object (Schema, Name, a function's
/// Arguments: a different name is another object), what is derived from other properties
/// (FullName, Nullable, Signature), child lists (compared as objects of their own kind), a
/// view's Materialized flag (views and materialized views are separate kinds) and a column's
/// Position (see <see cref="SchemaComparer"/>). A test checks that every other public property
/// of the model is listed here, so a property added to the model cannot be silently ignored.
/// </summary>
internal static class SchemaObjectKinds
{
    public static readonly SchemaObjectKind<string> Schema = new("Schema", s => s);

    public static readonly SchemaObjectKind<OmegaTable> Table = new(
        "Table", t => t.FullName,
        new("Kind", t => t.Kind),
        new("PartitionKey", t => t.PartitionKey),
        new("PartitionOf", t => t.PartitionOf),
        new("PartitionBound", t => t.PartitionBound),
        new("Inherits", t => t.Inherits),
        new("RowSecurity", t => t.RowSecurity),
        new("Comment", t => t.Comment));

    public static readonly SchemaObjectKind<OmegaColumn> Column = new(
        "Column", c => c.Name,
        new("Type", c => c.Type),
        new("NotNull", c => c.NotNull),
        new("Default", c => c.Default),
        new("Identity", c => c.Identity),
        new("Generated", c => c.Generated),
        new("Collation", c => c.Collation),
        new("Comment", c => c.Comment));

    public static readonly SchemaObjectKind<OmegaConstraint> Constraint = new(
        "Constraint", c => c.Name,
        new("Type", c => c.Type),
        new("Columns", c => c.Columns),
        new("Definition", c => c.Definition),
        new("Validated", c => c.Validated),
        new("Deferrable", c => c.Deferrable),
        new("InitiallyDeferred", c => c.InitiallyDeferred),
        new("ReferencedTable", c => c.ReferencedTable),
        new("ReferencedColumns", c => c.ReferencedColumns),
        new("Comment", c => c.Comment));

    public static readonly SchemaObjectKind<OmegaIndex> Index = new(
        "Index", i => i.Name,
        new("Method", i => i.Method),
        new("Columns", i => i.Columns),
        new("Include", i => i.Include),
        new("Where", i => i.Where),
        new("Unique", i => i.Unique),
        new("Primary", i => i.Primary),
        new("Valid", i => i.Valid),
        new("Constraint", i => i.Constraint),
        new("Definition", i => i.Definition),
        new("Comment", i => i.Comment));

    public static readonly SchemaObjectKind<OmegaTrigger> Trigger = new(
        "Trigger", t => t.Name,
        new("Timing", t => t.Timing),
        new("Events", t => t.Events),
        new("Level", t => t.Level),
        new("Function", t => t.Function),
        new("Enabled", t => t.Enabled),
        new("Definition", t => t.Definition));

    public static readonly SchemaObjectKind<OmegaView> View = ViewKind("View");

    public static readonly SchemaObjectKind<OmegaView> MaterializedView = ViewKind("MaterializedView");

    public static readonly SchemaObjectKind<OmegaSequence> Sequence = new(
        "Sequence", s => s.FullName,
        new("DataType", s => s.DataType),
        new("Start", s => s.Start),
        new("Increment", s => s.Increment),
        new("Minimum", s => s.Minimum),
        new("Maximum", s => s.Maximum),
        new("Cache", s => s.Cache),
        new("Cycle", s => s.Cycle),
        new("OwnedBy", s => s.OwnedBy),
        new("Comment", s => s.Comment));

    public static readonly SchemaObjectKind<OmegaType> Type = new(
        "Type", t => t.FullName,
        new("Kind", t => t.Kind),
        new("Values", t => t.Values),
        new("BaseType", t => t.BaseType),
        new("NotNull", t => t.NotNull),
        new("Default", t => t.Default),
        new("Constraints", t => t.Constraints),
        new("Attributes", t => t.Attributes),
        new("Comment", t => t.Comment));

    public static readonly SchemaObjectKind<OmegaFunction> Function = new(
        "Function", f => f.Signature,
        new("Kind", f => f.Kind),
        new("Returns", f => f.Returns),
        new("Language", f => f.Language),
        new("Volatility", f => f.Volatility),
        new("SecurityDefiner", f => f.SecurityDefiner),
        new("Definition", f => f.Definition),
        new("Comment", f => f.Comment));

    // Extensions are database-wide: the name alone identifies one, the schema is where its objects live.
    public static readonly SchemaObjectKind<OmegaExtension> Extension = new(
        "Extension", e => e.Name,
        new("Version", e => e.Version),
        new("Schema", e => e.Schema));

    private static SchemaObjectKind<OmegaView> ViewKind(string objectType) => new(
        objectType, v => v.FullName,
        new("Definition", v => v.Definition),
        new("Options", v => v.Options),
        new("Comment", v => v.Comment));
}
