namespace OmegaDb.Rehearsals;

/// <summary>
/// One successful run or dry run on a sandbox: the schema it started from, the migrations it
/// ran (by checksum) and whether their verify sections passed. Production runs look for one.
/// </summary>
public sealed record Rehearsal
{
    public DateTimeOffset RecordedAt { get; init; }

    public string Sandbox { get; init; } = string.Empty;

    public string? SandboxId { get; init; }

    public string? ServerVersion { get; init; }

    public bool DryRun { get; init; }

    public string FingerprintBefore { get; init; } = string.Empty;

    public string? FingerprintAfter { get; init; }

    public bool VerifyPassed { get; init; }

    public IReadOnlyList<RehearsedMigration> Migrations { get; init; } = [];
}

public sealed record RehearsedMigration(long Version, string Name, string Checksum);
