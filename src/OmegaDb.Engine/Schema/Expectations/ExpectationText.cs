namespace OmegaDb.Schema.Expectations;

/// <summary>The words test results use for values and for what is not there.</summary>
internal static class ExpectationText
{
    public const string Present = "<present>";
    public const string Missing = "<missing>";
    public const string Absent = "<absent>";
    public const string TableMissing = "<table missing>";
    public const string None = "<none>";

    /// <summary>A value as a result shows it: lists comma-separated, nothing as <c>&lt;none&gt;</c>.</summary>
    public static string Show(object? value) => value switch
    {
        null => None,
        IEnumerable<string> items when !items.Any() => None,
        _ => SchemaValueText.Render(value) ?? None,
    };

    public static string Label(string objectType) => objectType switch
    {
        "MaterializedView" => "Materialized view",
        _ => objectType,
    };
}
