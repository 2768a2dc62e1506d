namespace OmegaDb.Migrations;

/// <summary>
/// The migrations of a folder, in version order. Only <c>*.sql</c> files directly in the
/// folder are migrations, so a README or a notes file can sit beside them; a <c>.sql</c> file
/// whose name does not fit <c>&lt;version&gt;_&lt;name&gt;.sql</c> is an error rather than
/// skipped, since skipping it would silently leave a migration out. Hidden files (a leading
/// dot, as editors' lock and swap files have) are ignored.
/// </summary>
internal static class MigrationDirectory
{
    public const string PathNotFoundErrorId = "OmegaDb.MigrationPathNotFound";
    public const string DuplicateVersionErrorId = "OmegaDb.DuplicateMigrationVersion";

    public static IReadOnlyList<MigrationScript> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path))
        {
            throw new OmegaException(PathNotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                File.Exists(path)
                    ? $"'{path}' is a file, not a migrations folder. Pass the folder that holds the <version>_<name>.sql files."
                    : $"The migrations folder '{path}' does not exist. Check -Path, or create the folder and add <version>_<name>.sql files.",
                path);
        }

        var scripts = Directory.EnumerateFiles(path)
            .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetExtension(f).Equals(".sql", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(MigrationFileParser.ParseFile)
            .ToList();

        if (scripts.GroupBy(s => s.Version).Where(g => g.Count() > 1).MinBy(g => g.Key) is { } duplicate)
        {
            var files = string.Join(", ", duplicate.Select(s => $"'{s.FileName}'"));
            throw new OmegaException(DuplicateVersionErrorId, OmegaErrorCategory.InvalidData,
                $"Migrations {files} have the same version, {duplicate.Key} (leading zeros do not count). Give each migration its own version number.",
                path);
        }

        return scripts.OrderBy(s => s.Version).ToList();
    }
}
