namespace OmegaDb.Schema.Expectations;

/// <summary>The one error a malformed expectation raises, whatever is wrong with it.</summary>
internal static class ExpectationErrors
{
    public const string InvalidSchemaExpectation = "OmegaDb.InvalidSchemaExpectation";

    /// <param name="path">Where in the expectation, e.g. <c>Tables.user_profiles.Columns.bio.Typ</c>; empty for the whole.</param>
    public static OmegaException Invalid(string path, string problem) => new(
        InvalidSchemaExpectation,
        OmegaErrorCategory.InvalidArgument,
        path.Length == 0 ? $"Invalid schema expectation: {problem}" : $"Invalid schema expectation at {path}: {problem}",
        path);
}
