namespace OmegaDb;

public enum BackupFormat
{
    /// <summary>pg_dump -Fc: one compressed file, restored with pg_restore.</summary>
    Custom,

    /// <summary>pg_dump -Fd: a directory of files, dumped and restored in parallel with -Jobs.</summary>
    Directory,

    /// <summary>pg_dump -Fp: a plain SQL script, restored with psql.</summary>
    Plain,
}

/// <summary>
/// A dump made by pg_dump and described by the <c>.omega.json</c> manifest beside it.
/// It names the database it came from by name and redacted URI only: a backup is not a
/// connection, so piping one never picks a restore target by itself.
/// </summary>
public sealed class OmegaBackup
{
    /// <summary>The name of the database that was dumped.</summary>
    public required string Database { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>The source as a redacted URI (no password).</summary>
    public required string Source { get; init; }

    /// <summary>The dump file, or directory for the Directory format.</summary>
    public required string Path { get; init; }

    /// <summary>The <c>.omega.json</c> manifest beside the dump.</summary>
    public required string ManifestPath { get; init; }

    public required BackupFormat Format { get; init; }

    public required bool SchemaOnly { get; init; }

    public required long SizeBytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the dump file (for Directory: of its files, in name order).</summary>
    public required string Sha256 { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    public required string ServerVersion { get; init; }

    public required string PgDumpVersion { get; init; }

    /// <summary>The <see cref="OmegaSchema.Fingerprint"/> of the database when it was dumped.</summary>
    public required string SchemaFingerprint { get; init; }

    /// <summary>Rows per table ("schema.table") when it was dumped, for Test-OmegaBackup; empty for SchemaOnly.</summary>
    public IReadOnlyDictionary<string, long> RowCounts { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// The roles that own objects of the database or hold privileges on them when it was dumped.
    /// A Plain dump names them (ALTER ... OWNER TO, GRANT), so a test restore creates the missing
    /// ones in its own throwaway cluster.
    /// </summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    public override string ToString() => Path;
}
