namespace OmegaDb.Schema.Expectations;

/// <summary>A view (of either kind, or a materialized one when listed under MaterializedViews) that must exist.</summary>
internal sealed record ViewExpectation(
    string Name,
    bool MustBeMaterialized,
    IReadOnlyList<PropertyExpectation<OmegaView>> Properties,
    IReadOnlyList<ObjectExpectation<OmegaColumn>> Columns);
