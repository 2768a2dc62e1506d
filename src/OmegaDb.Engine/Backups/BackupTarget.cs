using System.Globalization;

namespace OmegaDb.Backups;

/// <summary>
/// Where a backup goes: the final dump and manifest names, and the temporary names in the same
/// directory that pg_dump and the manifest writer use until everything succeeded. A rename
/// within one directory is atomic, so the final name holds either a whole dump or nothing.
/// </summary>
public sealed class BackupTarget
{
    public const string ManifestSuffix = ".omega.json";
    public const string ExistsErrorId = "OmegaDb.BackupExists";
    public const string DirectoryNotFoundErrorId = "OmegaDb.BackupDirectoryNotFound";

    private BackupTarget(string dumpPath, BackupFormat format)
    {
        DumpPath = dumpPath;
        ManifestPath = dumpPath + ManifestSuffix;
        Format = format;
        var directory = System.IO.Path.GetDirectoryName(dumpPath)!;
        // Hidden and unmistakable, so that what a killed session leaves is easy to spot and clean.
        var token = Guid.NewGuid().ToString("n")[..12];
        TemporaryDumpPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(dumpPath)}.{token}.partial");
        TemporaryManifestPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(ManifestPath)}.{token}.partial");
    }

    public string DumpPath { get; }

    public string ManifestPath { get; }

    public BackupFormat Format { get; }

    public string TemporaryDumpPath { get; }

    public string TemporaryManifestPath { get; }

    /// <summary>The default name: <c>&lt;database&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> and the format's extension.</summary>
    public static string DefaultFileName(string database, BackupFormat format, DateTimeOffset at)
    {
        var safe = string.Concat(database.Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));
        var stamp = at.ToLocalTime().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return $"{safe}-{stamp}{Extension(format)}";
    }

    public static string Extension(BackupFormat format) => format switch
    {
        BackupFormat.Plain => ".sql",
        BackupFormat.Directory => ".dir",
        _ => ".dump",
    };

    /// <summary>
    /// Resolves -Path: an existing directory (or none: <paramref name="currentDirectory"/>) gets
    /// the default name inside it; anything else is the dump's own name, in a directory that
    /// must exist. Refuses a name that a dump or manifest already has.
    /// </summary>
    public static BackupTarget Resolve(string? path, string currentDirectory, string database, BackupFormat format, DateTimeOffset at)
    {
        string dumpPath;
        if (string.IsNullOrEmpty(path))
        {
            dumpPath = System.IO.Path.Combine(currentDirectory, DefaultFileName(database, format, at));
        }
        else if (Directory.Exists(path) && !(format == BackupFormat.Directory && LooksLikeDumpDirectory(path)))
        {
            dumpPath = System.IO.Path.Combine(path, DefaultFileName(database, format, at));
        }
        else
        {
            dumpPath = System.IO.Path.GetFullPath(path.TrimEnd(System.IO.Path.DirectorySeparatorChar));
            var parent = System.IO.Path.GetDirectoryName(dumpPath);
            if (parent is null || !Directory.Exists(parent))
            {
                throw new OmegaException(DirectoryNotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                    $"The directory '{parent}' for the backup '{dumpPath}' does not exist. Create it first, or pass an existing directory as -Path.", path);
            }
        }

        var target = new BackupTarget(System.IO.Path.GetFullPath(dumpPath), format);
        target.EnsureFree();
        return target;
    }

    /// <summary>Throws when the dump or manifest name is taken: a backup never replaces anything.</summary>
    public void EnsureFree()
    {
        foreach (var name in new[] { DumpPath, ManifestPath })
        {
            if (File.Exists(name) || Directory.Exists(name))
            {
                throw new OmegaException(ExistsErrorId, OmegaErrorCategory.ResourceExists,
                    $"'{name}' already exists and a backup never overwrites. Choose another -Path, or move the existing backup away first.", name);
            }
        }
    }

    /// <summary>
    /// Moves the finished dump and manifest to their final names, dump first, never over an
    /// existing name. The manifest is what makes a dump a backup, so if it cannot be moved
    /// the dump goes back to being temporary and is removed.
    /// </summary>
    public void Commit()
    {
        MoveNoClobber(TemporaryDumpPath, DumpPath);
        try
        {
            MoveNoClobber(TemporaryManifestPath, ManifestPath);
        }
        catch
        {
            Delete(DumpPath);
            throw;
        }
    }

    /// <summary>Removes the temporary files; for every path that does not end in <see cref="Commit"/>.</summary>
    public void Abandon()
    {
        Delete(TemporaryDumpPath);
        Delete(TemporaryManifestPath);
    }

    private void MoveNoClobber(string from, string to)
    {
        try
        {
            if (Format == BackupFormat.Directory && Directory.Exists(from))
            {
                // Directory.Move refuses an existing destination; the check above narrows the race.
                if (Directory.Exists(to) || File.Exists(to))
                {
                    throw new IOException("exists");
                }

                Directory.Move(from, to);
            }
            else
            {
                File.Move(from, to, overwrite: false);
            }
        }
        catch (IOException) when (File.Exists(to) || Directory.Exists(to))
        {
            throw new OmegaException(ExistsErrorId, OmegaErrorCategory.ResourceExists,
                $"'{to}' appeared while the backup ran, and a backup never overwrites. The new dump was discarded; run the backup again with another -Path.", to);
        }
    }

    private static void Delete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the name is hidden and marked .partial, and the caller reports the real failure.
        }
    }

    /// <summary>A directory dump holds pg_dump's toc.dat; such a directory is a (taken) name, not a place to put one.</summary>
    private static bool LooksLikeDumpDirectory(string path) => File.Exists(System.IO.Path.Combine(path, "toc.dat"));
}
