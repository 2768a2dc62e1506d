using System.Globalization;

namespace OmegaDb.Migrations;

/// <summary>
/// Which applied migrations an undo takes back, newest first: the newest <c>-Count</c>, or
/// every one newer than <c>-To</c>. It refuses, before anything runs, when one of them cannot
/// be undone faithfully: its file is gone, its file changed since it was applied (its down
/// section may no longer match what the up section did), or it has no down section.
/// </summary>
internal static class UndoSelection
{
    public const string NothingToUndoErrorId = "OmegaDb.NothingToUndo";
    public const string InvalidUndoTargetErrorId = "OmegaDb.InvalidUndoTarget";
    public const string MissingErrorId = "OmegaDb.MigrationMissing";
    public const string NoDownErrorId = "OmegaDb.MigrationHasNoDown";

    public static IReadOnlyList<UndoTarget> Select(IReadOnlyList<MigrationScript> scripts, IReadOnlyList<HistoryEntry> history, int? count, long? to,
        OmegaDatabase database)
    {
        var applied = history.OrderByDescending(h => h.Version).ToList();
        if (applied.Count == 0)
        {
            throw new OmegaException(NothingToUndoErrorId, OmegaErrorCategory.ObjectNotFound,
                $"No migration is recorded as applied on {database.Name}: there is nothing to undo.", database);
        }

        List<HistoryEntry> chosen;
        if (to is { } keep)
        {
            if (keep != 0 && applied.All(h => h.Version != keep))
            {
                throw new OmegaException(InvalidUndoTargetErrorId, OmegaErrorCategory.InvalidArgument,
                    $"-To {keep}: version {keep} is not applied on {database.Name} (applied: {Versions(applied)}). Nothing was undone. " +
                    "Give the applied version to keep, or -To 0 to undo every migration.", database);
            }

            chosen = applied.Where(h => h.Version > keep).ToList();
            if (chosen.Count == 0)
            {
                throw new OmegaException(NothingToUndoErrorId, OmegaErrorCategory.ObjectNotFound,
                    $"-To {keep}: no applied migration on {database.Name} is newer than {keep}, so there is nothing to undo.", database);
            }
        }
        else
        {
            var wanted = count ?? 1;
            if (wanted > applied.Count)
            {
                throw new OmegaException(InvalidUndoTargetErrorId, OmegaErrorCategory.InvalidArgument,
                    $"-Count {wanted}: only {applied.Count} migration(s) are applied on {database.Name} ({Versions(applied)}). Nothing was undone. " +
                    $"Use -Count {applied.Count} or -To 0 to undo them all.", database);
            }

            chosen = applied.Take(wanted).ToList();
        }

        var byVersion = scripts.ToDictionary(s => s.Version);
        var missing = chosen.Where(h => !byVersion.ContainsKey(h.Version)).ToList();
        if (missing.Count > 0)
        {
            throw new OmegaException(MissingErrorId, OmegaErrorCategory.ObjectNotFound,
                $"Cannot undo {string.Join(", ", missing.Select(m => $"{m.Version} ({m.Name})"))} on {database.Name}: recorded as applied, but the file is not in the folder, so its down section is unknown. Nothing was undone. " +
                "Restore the file as it was applied (from version control), then run the undo again.", database);
        }

        var modified = chosen.Where(h => byVersion[h.Version].Checksum != h.Checksum).ToList();
        if (modified.Count > 0)
        {
            throw new OmegaException(MigrationCatalog.ModifiedErrorId, OmegaErrorCategory.InvalidData,
                $"Cannot undo {string.Join(", ", modified.Select(m => $"{m.Version} ({byVersion[m.Version].FileName}: applied {m.Checksum[..12]}, file now {byVersion[m.Version].Checksum[..12]})"))} on {database.Name}: " +
                "the file changed after it was applied, so its down section may not undo what actually ran. Nothing was undone. " +
                "Restore the file as it was applied, or undo by hand in a new migration.", database);
        }

        var noDown = chosen.Where(h => byVersion[h.Version].Down is null).ToList();
        if (noDown.Count > 0)
        {
            throw new OmegaException(NoDownErrorId, OmegaErrorCategory.InvalidOperation,
                $"Cannot undo {string.Join(", ", noDown.Select(m => $"{m.Version} ({byVersion[m.Version].FileName})"))} on {database.Name}: it has no '-- omega:down' section. Nothing was undone. " +
                "Reverse it with a new migration instead (fix forward); a down section added to the applied file now would make it Modified.", database);
        }

        return chosen.Select(h => new UndoTarget(byVersion[h.Version], h)).ToList();
    }

    private static string Versions(IEnumerable<HistoryEntry> entries) =>
        string.Join(", ", entries.OrderBy(e => e.Version).Select(e => e.Version.ToString(CultureInfo.InvariantCulture)));
}

/// <summary>An applied migration an undo takes back: its file and its history row.</summary>
internal sealed record UndoTarget(MigrationScript Script, HistoryEntry Entry)
{
    /// <summary>The file name without .sql, as the data-loss report names migrations.</summary>
    public string Label => System.IO.Path.GetFileNameWithoutExtension(Script.Path);
}
