namespace OmegaDb;

public enum MigrationStatus
{
    /// <summary>In the folder, not yet applied.</summary>
    Pending,

    /// <summary>Applied, and the file is unchanged since.</summary>
    Applied,

    /// <summary>Applied, but the file's checksum changed afterwards.</summary>
    Modified,

    /// <summary>Recorded as applied, but its file is gone.</summary>
    Missing,
}

/// <summary>A migration file, and with a database its status against the history table.</summary>
public sealed class OmegaMigration
{
    public OmegaDatabase? Database { get; init; }

    /// <summary>The numeric prefix of the file name (<c>001</c> is 1).</summary>
    public long Version { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The file; null for a Missing migration.</summary>
    public string? Path { get; init; }

    /// <summary>SHA-256 of the file (line endings normalised to LF); for a Missing one, the recorded checksum.</summary>
    public string Checksum { get; init; } = string.Empty;

    public bool HasDown { get; init; }

    public bool HasVerify { get; init; }

    /// <summary>False for a <c>-- omega:no-transaction</c> migration.</summary>
    public bool Transactional { get; init; } = true;

    /// <summary>Pending when no database was given.</summary>
    public MigrationStatus Status { get; init; }

    public DateTimeOffset? AppliedAt { get; init; }

    public string? AppliedBy { get; init; }

    public TimeSpan? AppliedDuration { get; init; }

    /// <summary>The checksum recorded when it was applied (differs from Checksum when Modified).</summary>
    public string? AppliedChecksum { get; init; }

    public override string ToString() => $"{Version} {Name} ({Status})";
}
