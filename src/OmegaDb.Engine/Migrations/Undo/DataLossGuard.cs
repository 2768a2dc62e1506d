using System.Globalization;

namespace OmegaDb.Migrations;

/// <summary>
/// The data-loss guard: an undo whose down sections destroy data (or data that could not be
/// counted) runs only with a backup that can bring it back, or with -Force. It applies on
/// every database, production or not: a dropped column is gone wherever it was dropped.
/// </summary>
internal static class DataLossGuard
{
    public const string WouldLoseDataErrorId = "OmegaDb.UndoWouldLoseData";

    /// <summary>Throws when the undo must not run; otherwise returns what let it through (for the verbose stream), or null when nothing is lost.</summary>
    public static string? Check(UndoRequest request, IReadOnlyList<UndoTarget> targets, IReadOnlyList<OmegaDataLoss> losses)
    {
        var lost = losses.Where(l => l.Count > 0 || !l.Counted).ToList();
        if (lost.Count == 0)
        {
            return null;
        }

        var summary = Summary(lost);
        if (request.Force)
        {
            return $"-Force: undoing although it destroys {summary}.";
        }

        var why = request.Backup is null ? null : BackupQualification.WhyNot(request.Backup, request.Database, targets);
        if (request.Backup is not null && why is null)
        {
            return $"Backup {request.Backup.Path} (taken {request.Backup.CreatedAt.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC) covers what the undo destroys: {summary}.";
        }

        var database = request.Database;
        var backupAdvice = request.Backup is null
            ? "No backup was given."
            : $"The backup {request.Backup.Path} does not qualify: {why}.";
        throw new OmegaException(WouldLoseDataErrorId, OmegaErrorCategory.InvalidOperation,
            $"Undoing {string.Join(", ", targets.Select(t => $"{t.Script.Version} ({t.Script.Name})"))} on {database.Name} would destroy {summary}: " +
            $"{string.Join("; ", lost.Select(l => l.Description))}. Nothing was undone. {backupAdvice} " +
            $"Take one first (Backup-OmegaDatabase) and pass it with -Backup, or pass -Force to undo without one.", database);
    }

    /// <summary>"2,345 non-null values and 12 rows", or "data that could not be counted".</summary>
    public static string Summary(IReadOnlyList<OmegaDataLoss> losses)
    {
        var values = losses.Where(l => l.ObjectType == "Column").Sum(l => l.Count);
        var rows = losses.Where(l => l.ObjectType != "Column").Sum(l => l.Count);
        var parts = new List<string>();
        if (rows > 0)
        {
            parts.Add($"{rows.ToString("N0", CultureInfo.InvariantCulture)} {(rows == 1 ? "row" : "rows")}");
        }

        if (values > 0)
        {
            parts.Add($"{values.ToString("N0", CultureInfo.InvariantCulture)} non-null column {(values == 1 ? "value" : "values")}");
        }

        if (losses.Any(l => !l.Counted))
        {
            parts.Add("data that could not be counted");
        }

        return parts.Count == 0 ? "no data" : string.Join(" and ", parts);
    }
}
