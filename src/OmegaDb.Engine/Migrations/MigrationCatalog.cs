namespace OmegaDb.Migrations;

/// <summary>
/// The migration files set against a database's history: which are applied, pending,
/// modified since they were applied, or recorded but gone from the folder.
/// </summary>
internal static class MigrationCatalog
{
    public const string ModifiedErrorId = "OmegaDb.MigrationModified";

    public static IReadOnlyList<OmegaMigration> Describe(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<HistoryEntry>? history,
        OmegaDatabase? database)
    {
        var applied = (history ?? []).ToDictionary(h => h.Version);
        var migrations = new List<OmegaMigration>();
        foreach (var script in scripts)
        {
            applied.TryGetValue(script.Version, out var entry);
            migrations.Add(new OmegaMigration
            {
                Database = database,
                Version = script.Version,
                Name = script.Name,
                Path = script.Path,
                Checksum = script.Checksum,
                HasDown = script.Down is not null,
                HasVerify = script.Verify is not null,
                Transactional = script.Transactional,
                Status = entry is null ? MigrationStatus.Pending
                    : entry.Checksum == script.Checksum ? MigrationStatus.Applied
                    : MigrationStatus.Modified,
                AppliedAt = entry?.AppliedAt,
                AppliedBy = entry?.AppliedBy,
                AppliedDuration = entry?.Duration,
                AppliedChecksum = entry?.Checksum,
            });
        }

        var files = scripts.Select(s => s.Version).ToHashSet();
        foreach (var entry in (history ?? []).Where(h => !files.Contains(h.Version)))
        {
            migrations.Add(new OmegaMigration
            {
                Database = database,
                Version = entry.Version,
                Name = entry.Name,
                Checksum = entry.Checksum,
                Status = MigrationStatus.Missing,
                AppliedAt = entry.AppliedAt,
                AppliedBy = entry.AppliedBy,
                AppliedDuration = entry.Duration,
                AppliedChecksum = entry.Checksum,
            });
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    /// <summary>Refuses to go on when an applied file changed: the database no longer matches what the folder says.</summary>
    public static void ThrowIfModified(IReadOnlyList<OmegaMigration> migrations, OmegaDatabase database)
    {
        var modified = migrations.Where(m => m.Status == MigrationStatus.Modified).ToList();
        if (modified.Count > 0)
        {
            var list = string.Join(", ", modified.Select(m => $"{m.Version} ({System.IO.Path.GetFileName(m.Path)}: applied {m.AppliedChecksum?[..12]}, file now {m.Checksum[..12]})"));
            throw new OmegaException(ModifiedErrorId, OmegaErrorCategory.InvalidData,
                $"Applied migration files were changed after they ran on {database.Name}: {list}. Nothing was run. " +
                "Restore the files as they were applied and put the change in a new migration.", database);
        }
    }
}
