namespace OmegaDb;

/// <summary>The outcome of one assertion made by <c>Test-OmegaSchema</c>.</summary>
public sealed class OmegaSchemaTestResult
{
    /// <summary>What was tested: the database name, or the schema's source.</summary>
    public string Target { get; init; } = string.Empty;

    /// <summary>What was asserted, e.g. <c>Column public.user_profiles.bio has type text</c>.</summary>
    public string Assertion { get; init; } = string.Empty;

    public string? Expected { get; init; }

    public string? Actual { get; init; }

    public bool Passed { get; init; }

    public override string ToString() => $"{(Passed ? "Passed" : "Failed")}: {Assertion} (expected {Expected ?? "<none>"}, actual {Actual ?? "<none>"})";
}
