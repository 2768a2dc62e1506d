namespace OmegaDb.Backups;

/// <summary>What Backup-OmegaDatabase was asked for, with -Path already resolved to a <see cref="BackupTarget"/>.</summary>
public sealed record BackupRequest
{
    public const string JobsNeedDirectoryErrorId = "OmegaDb.BackupJobsNeedDirectoryFormat";

    public required OmegaDatabase Database { get; init; }

    public required BackupTarget Target { get; init; }

    public BackupFormat Format { get; init; } = BackupFormat.Custom;

    public bool SchemaOnly { get; init; }

    /// <summary>pg_dump -j: parallel workers, Directory format only.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>The directory of pg_dump to use instead of searching for one.</summary>
    public string? PostgresBin { get; init; }

    /// <summary>Throws when the options cannot go together, before anything runs.</summary>
    public static void Validate(BackupFormat format, int jobs)
    {
        if (jobs > 1 && format != BackupFormat.Directory)
        {
            throw new OmegaException(JobsNeedDirectoryErrorId, OmegaErrorCategory.InvalidArgument,
                $"-Jobs {jobs} needs -Format Directory: pg_dump dumps in parallel only into a directory. Add -Format Directory, or leave out -Jobs.");
        }
    }
}
