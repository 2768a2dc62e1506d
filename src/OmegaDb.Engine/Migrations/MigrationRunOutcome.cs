namespace OmegaDb.Migrations;

/// <summary>
/// What a run did: one result per migration it ran (the failed one included), warnings about
/// the run as a whole, and the failure that stopped it, if one did. Results are returned even
/// when the run failed, so the user sees what was applied before the failure.
/// </summary>
public sealed record MigrationRunOutcome
{
    public IReadOnlyList<OmegaMigrationResult> Results { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public OmegaException? Failure { get; init; }

    /// <summary>What the production gate decided, for the record (null when it did not apply).</summary>
    public string? GateDecision { get; init; }
}
