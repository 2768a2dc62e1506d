namespace OmegaDb.Schema.Expectations;

/// <summary>
/// One object an expectation names or describes. With a name and no properties it asserts that
/// the object exists; with properties, each is an assertion of its own. Without a name (indexes,
/// constraints, triggers) it asserts that some object of the table has all the properties.
/// </summary>
internal sealed record ObjectExpectation<T>(string? Name, IReadOnlyList<PropertyExpectation<T>> Properties)
{
    public bool IsMetBy(T actual) => Properties.All(p => p.IsMetBy(actual));

    /// <summary><c>Method gin, Columns preferences</c>.</summary>
    public string Summary => string.Join(", ", Properties.Select(p => p.Summary));
}
