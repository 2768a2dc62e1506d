namespace OmegaDb.Schema.Expectations;

/// <summary>
/// The root Absent section: names of what must not exist anywhere. Columns, constraints and
/// triggers are named under their table (<c>table.name</c> or <c>schema.table.name</c>);
/// an index by its own name, optionally under its schema or table.
/// </summary>
internal sealed record SchemaAbsence(
    IReadOnlyList<string> Schemas,
    IReadOnlyList<string> Extensions,
    IReadOnlyList<string> Types,
    IReadOnlyList<string> Sequences,
    IReadOnlyList<string> Tables,
    IReadOnlyList<string> Views,
    IReadOnlyList<string> MaterializedViews,
    IReadOnlyList<string> Functions,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Indexes,
    IReadOnlyList<string> Constraints,
    IReadOnlyList<string> Triggers)
{
    public static readonly SchemaAbsence None = new([], [], [], [], [], [], [], [], [], [], [], []);
}
