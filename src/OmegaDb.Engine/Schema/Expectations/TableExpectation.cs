namespace OmegaDb.Schema.Expectations;

/// <summary>A table that must exist, with what it must and must not have.</summary>
internal sealed record TableExpectation(
    string Name,
    IReadOnlyList<PropertyExpectation<OmegaTable>> Properties,
    IReadOnlyList<ObjectExpectation<OmegaColumn>> Columns,
    IReadOnlyList<ObjectExpectation<OmegaConstraint>> Constraints,
    IReadOnlyList<ObjectExpectation<OmegaIndex>> Indexes,
    IReadOnlyList<ObjectExpectation<OmegaTrigger>> Triggers,
    TableAbsence Absent);

/// <summary>Names, within one table, of what must not exist.</summary>
internal sealed record TableAbsence(
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Indexes,
    IReadOnlyList<string> Constraints,
    IReadOnlyList<string> Triggers)
{
    public static readonly TableAbsence None = new([], [], [], []);
}
