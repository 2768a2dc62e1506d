namespace OmegaDb.Backups;

/// <summary>How a dump is restored into a database.</summary>
public sealed record RestoreOptions
{
    public const string CleanNeedsArchiveErrorId = "OmegaDb.RestoreCleanNeedsArchive";

    /// <summary>pg_restore --clean --if-exists: drop each object before creating it.</summary>
    public bool Clean { get; init; }

    /// <summary>pg_restore -j; above 1 the restore is no longer one transaction.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Leave GRANTs out: a sandbox has none of production's roles.</summary>
    public bool NoPrivileges { get; init; }

    public string? PostgresBin { get; init; }

    public static void Validate(BackupFormat format, RestoreOptions options)
    {
        if (format == BackupFormat.Plain && options.Clean)
        {
            throw new OmegaException(CleanNeedsArchiveErrorId, OmegaErrorCategory.InvalidArgument,
                "-Clean needs a Custom or Directory backup: a Plain SQL dump is replayed by psql as written, and it was written without DROP statements. Restore it into an empty database, or back up again with -Format Custom.");
        }

        if (format == BackupFormat.Plain && options.Jobs > 1)
        {
            throw new OmegaException(BackupRequest.JobsNeedDirectoryErrorId, OmegaErrorCategory.InvalidArgument,
                "-Jobs needs a Custom or Directory backup: psql replays a Plain SQL dump on one connection. Leave out -Jobs.");
        }
    }
}
