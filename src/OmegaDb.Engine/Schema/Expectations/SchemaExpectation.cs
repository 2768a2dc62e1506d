namespace OmegaDb.Schema.Expectations;

/// <summary>
/// What Test-OmegaSchema -Expect checks, parsed and validated in full before anything is
/// tested: a malformed expectation fails at once with <see cref="InvalidErrorId"/>, naming
/// the bad key by its path, rather than half-way through a run of results.
/// </summary>
public sealed class SchemaExpectation
{
    public const string InvalidErrorId = ExpectationErrors.InvalidSchemaExpectation;

    internal IReadOnlyList<string> Schemas { get; init; } = [];

    internal IReadOnlyList<ObjectExpectation<OmegaExtension>> Extensions { get; init; } = [];

    internal IReadOnlyList<ObjectExpectation<OmegaType>> Types { get; init; } = [];

    internal IReadOnlyList<ObjectExpectation<OmegaSequence>> Sequences { get; init; } = [];

    internal IReadOnlyList<TableExpectation> Tables { get; init; } = [];

    internal IReadOnlyList<ViewExpectation> Views { get; init; } = [];

    internal IReadOnlyList<ObjectExpectation<OmegaFunction>> Functions { get; init; } = [];

    internal SchemaAbsence Absent { get; init; } = SchemaAbsence.None;

    /// <summary>Reads a tree of dictionaries (hashtables), enumerables (arrays) and scalars.</summary>
    /// <exception cref="OmegaException">OmegaDb.InvalidSchemaExpectation, InvalidArgument.</exception>
    public static SchemaExpectation Parse(object? tree) => SchemaExpectationParser.Parse(tree);

    /// <exception cref="OmegaException">OmegaDb.InvalidSchemaExpectation, InvalidArgument.</exception>
    public static SchemaExpectation FromJson(string json) => Parse(ExpectationTree.FromJson(json));
}
