namespace OmegaDb.Schema.Expectations;

/// <summary>
/// For each kind of object, the properties an expectation may pin, in the order their
/// assertions are reported. The keys are the model's property names, so what Get-OmegaSchema
/// shows is what an expectation can say.
/// </summary>
internal static class PropertyRules
{
    public static readonly IReadOnlyList<PropertyRule<OmegaTable>> Table =
    [
        new("Kind", ValueShape.Text, t => t.Kind, ValueMatches.IgnoringCase, Has("kind")) { AllowedValues = ["Table", "PartitionedTable", "ForeignTable"] },
        new("PrimaryKey", ValueShape.TextList, PrimaryKeyColumns, ValueMatches.Names, Has("primary key")),
        new("RowSecurity", ValueShape.Flag, t => t.RowSecurity, ValueMatches.Same, Flag("has row security enabled", "has row security disabled")),
        new("Comment", ValueShape.OptionalText, t => t.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaColumn>> Column =
    [
        new("Type", ValueShape.Text, c => c.Type, ValueMatches.TypeName, Has("type")),
        new("Nullable", ValueShape.Flag, c => c.Nullable, ValueMatches.Same, Flag("is nullable", "is NOT NULL")),
        new("NotNull", ValueShape.Flag, c => c.NotNull, ValueMatches.Same, Flag("is NOT NULL", "is nullable")),
        new("Default", ValueShape.OptionalText, c => c.Default, ValueMatches.Expression, Has("default")),
        new("Identity", ValueShape.OptionalText, c => c.Identity, ValueMatches.IgnoringCase, Has("identity")) { AllowedValues = ["Always", "ByDefault"] },
        new("Generated", ValueShape.OptionalText, c => c.Generated, ValueMatches.Expression, Has("generation expression")),
        new("Collation", ValueShape.OptionalText, c => c.Collation, ValueMatches.Collation, Has("collation")),
        new("Position", ValueShape.Integer, c => c.Position, ValueMatches.Same, Has("position")),
        new("Comment", ValueShape.OptionalText, c => c.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaIndex>> Index =
    [
        new("Method", ValueShape.Text, i => i.Method, ValueMatches.IgnoringCase, Has("method")),
        new("Columns", ValueShape.TextList, i => i.Columns, ValueMatches.IndexKeys, Has("columns")),
        new("Include", ValueShape.TextList, i => i.Include, ValueMatches.Names, Has("included columns")),
        new("Where", ValueShape.OptionalText, i => i.Where, ValueMatches.Expression, Has("predicate")),
        new("Unique", ValueShape.Flag, i => i.Unique, ValueMatches.Same, Flag("is unique", "is not unique")),
        new("Primary", ValueShape.Flag, i => i.Primary, ValueMatches.Same, Flag("is the primary key index", "is not the primary key index")),
        new("Valid", ValueShape.Flag, i => i.Valid, ValueMatches.Same, Flag("is valid", "is invalid")),
        new("Comment", ValueShape.OptionalText, i => i.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaConstraint>> Constraint =
    [
        new("Type", ValueShape.Text, c => c.Type, ValueMatches.IgnoringCase, Has("type")) { AllowedValues = ["PrimaryKey", "ForeignKey", "Unique", "Check", "Exclusion"] },
        new("Columns", ValueShape.TextList, c => c.Columns, ValueMatches.Names, Has("columns")),
        new("References", ValueShape.Text, c => c.ReferencedTable, ValueMatches.Name, v => $"references {ExpectationText.Show(v)}"),
        new("ReferencedColumns", ValueShape.TextList, c => c.ReferencedColumns, ValueMatches.Names, Has("referenced columns")),
        new("Validated", ValueShape.Flag, c => c.Validated, ValueMatches.Same, Flag("is validated", "is NOT VALID")),
        new("Deferrable", ValueShape.Flag, c => c.Deferrable, ValueMatches.Same, Flag("is deferrable", "is not deferrable")),
        new("InitiallyDeferred", ValueShape.Flag, c => c.InitiallyDeferred, ValueMatches.Same, Flag("is initially deferred", "is initially immediate")),
        new("Definition", ValueShape.Text, c => c.Definition, ValueMatches.Expression, Has("definition")),
        new("Comment", ValueShape.OptionalText, c => c.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaTrigger>> Trigger =
    [
        new("Timing", ValueShape.Text, t => t.Timing, ValueMatches.IgnoringCase, Has("timing")) { AllowedValues = ["Before", "After", "InsteadOf"] },
        new("Events", ValueShape.TextList, t => t.Events, ValueMatches.NameSet, Has("events")) { AllowedValues = ["Insert", "Update", "Delete", "Truncate"] },
        new("Level", ValueShape.Text, t => t.Level, ValueMatches.IgnoringCase, Has("level")) { AllowedValues = ["Row", "Statement"] },
        new("Function", ValueShape.Text, t => t.Function, ValueMatches.Name, Has("function")),
        new("Enabled", ValueShape.Text, t => t.Enabled, ValueMatches.IgnoringCase, Has("enabled state")) { AllowedValues = ["Origin", "Disabled", "Replica", "Always"] },
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaView>> View =
    [
        new("Materialized", ValueShape.Flag, v => v.Materialized, ValueMatches.Same, Flag("is materialized", "is not materialized")),
        new("Definition", ValueShape.Text, v => v.Definition, ValueMatches.Expression, Has("definition")),
        new("Comment", ValueShape.OptionalText, v => v.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaSequence>> Sequence =
    [
        new("DataType", ValueShape.Text, s => s.DataType, ValueMatches.TypeName, Has("data type")),
        new("Start", ValueShape.Integer, s => s.Start, ValueMatches.Same, Has("start")),
        new("Increment", ValueShape.Integer, s => s.Increment, ValueMatches.Same, Has("increment")),
        new("Minimum", ValueShape.Integer, s => s.Minimum, ValueMatches.Same, Has("minimum")),
        new("Maximum", ValueShape.Integer, s => s.Maximum, ValueMatches.Same, Has("maximum")),
        new("Cache", ValueShape.Integer, s => s.Cache, ValueMatches.Same, Has("cache")),
        new("Cycle", ValueShape.Flag, s => s.Cycle, ValueMatches.Same, Flag("cycles", "does not cycle")),
        new("OwnedBy", ValueShape.OptionalText, s => s.OwnedBy, ValueMatches.Name, Has("owner column")),
        new("Comment", ValueShape.OptionalText, s => s.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaType>> Type =
    [
        new("Kind", ValueShape.Text, t => t.Kind, ValueMatches.IgnoringCase, Has("kind")) { AllowedValues = ["Enum", "Domain", "Composite", "Range"] },
        new("Values", ValueShape.TextList, t => t.Values, ValueMatches.Same, Has("values")),
        new("BaseType", ValueShape.Text, t => t.BaseType, ValueMatches.TypeName, Has("base type")),
        new("NotNull", ValueShape.Flag, t => t.NotNull, ValueMatches.Same, Flag("is NOT NULL", "is nullable")),
        new("Default", ValueShape.OptionalText, t => t.Default, ValueMatches.Expression, Has("default")),
        new("Comment", ValueShape.OptionalText, t => t.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaFunction>> Function =
    [
        new("Kind", ValueShape.Text, f => f.Kind, ValueMatches.IgnoringCase, Has("kind")) { AllowedValues = ["Function", "Procedure", "Aggregate", "Window"] },
        new("Returns", ValueShape.OptionalText, f => f.Returns, ValueMatches.TypeName, Has("return type")),
        new("Language", ValueShape.Text, f => f.Language, ValueMatches.IgnoringCase, Has("language")),
        new("Volatility", ValueShape.Text, f => f.Volatility, ValueMatches.IgnoringCase, Has("volatility")) { AllowedValues = ["Immutable", "Stable", "Volatile"] },
        new("SecurityDefiner", ValueShape.Flag, f => f.SecurityDefiner, ValueMatches.Same, Flag("is SECURITY DEFINER", "is SECURITY INVOKER")),
        new("Comment", ValueShape.OptionalText, f => f.Comment, ValueMatches.Same, Has("comment")),
    ];

    public static readonly IReadOnlyList<PropertyRule<OmegaExtension>> Extension =
    [
        new("Version", ValueShape.Text, e => e.Version, ValueMatches.Same, Has("version")),
        new("Schema", ValueShape.Text, e => e.Schema, ValueMatches.Name, Has("schema")),
    ];

    public static IReadOnlyList<string> Keys<T>(IReadOnlyList<PropertyRule<T>> rules) => rules.Select(r => r.Key).ToList();

    private static IReadOnlyList<string>? PrimaryKeyColumns(OmegaTable table) =>
        table.Constraints.FirstOrDefault(c => c.Type == "PrimaryKey")?.Columns;

    private static Func<object?, string> Has(string what) =>
        value => value is null ? $"has no {what}" : $"has {what} {ExpectationText.Show(value)}";

    private static Func<object?, string> Flag(string whenTrue, string whenFalse) =>
        value => value is true ? whenTrue : whenFalse;
}
