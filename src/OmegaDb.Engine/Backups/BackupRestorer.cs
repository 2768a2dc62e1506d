using System.Text.RegularExpressions;
using OmegaDb.ClientTools;
using OmegaDb.Connections;
using OmegaDb.Processes;

namespace OmegaDb.Backups;

/// <summary>
/// Restores a dump into a database: pg_restore for Custom and Directory dumps, psql for Plain
/// ones, objects owned by the restoring role (--no-owner), stopping at the first error. With
/// one job the whole restore is a single transaction, so a failure leaves the database as it was.
/// </summary>
public static partial class BackupRestorer
{
    public const string RestoreFailedErrorId = "OmegaDb.RestoreFailed";
    public const string ExtensionNotAvailableErrorId = "OmegaDb.RestoreExtensionNotAvailable";
    public const string ChecksumMismatchErrorId = "OmegaDb.BackupChecksumMismatch";
    public const string DumpMissingErrorId = "OmegaDb.BackupDumpNotFound";

    /// <summary>The dump's SHA-256 against the manifest's; null when it matches, else why not.</summary>
    public static async Task<(bool Matches, string? Actual, string? Problem)> CheckChecksumAsync(OmegaBackup backup, CancellationToken cancellationToken)
    {
        if (!File.Exists(backup.Path) && !Directory.Exists(backup.Path))
        {
            return (false, null, $"The dump '{backup.Path}' named by {backup.ManifestPath} does not exist.");
        }

        var actual = await BackupChecksum.ComputeAsync(backup.Path, cancellationToken).ConfigureAwait(false);
        return actual.Sha256 == backup.Sha256
            ? (true, actual.Sha256, null)
            : (false, actual.Sha256, $"The dump's SHA-256 is {actual.Sha256} ({actual.SizeBytes} bytes), the manifest says {backup.Sha256} ({backup.SizeBytes} bytes): the dump was changed or damaged after the backup.");
    }

    /// <summary>Throws unless the dump is there and unchanged since the backup.</summary>
    public static async Task VerifyChecksumAsync(OmegaBackup backup, CancellationToken cancellationToken)
    {
        var (matches, _, problem) = await CheckChecksumAsync(backup, cancellationToken).ConfigureAwait(false);
        if (!matches)
        {
            var missing = !File.Exists(backup.Path) && !Directory.Exists(backup.Path);
            throw new OmegaException(missing ? DumpMissingErrorId : ChecksumMismatchErrorId, missing ? OmegaErrorCategory.ObjectNotFound : OmegaErrorCategory.InvalidData,
                $"{problem} Nothing was restored. Use another backup, or Test-OmegaBackup to check the ones you have.", backup);
        }
    }

    public static async Task RestoreAsync(OmegaBackup backup, OmegaDatabase database, RestoreOptions options, IProgress<string> progress, CancellationToken cancellationToken)
    {
        RestoreOptions.Validate(backup.Format, options);
        if (database.ServerVersion is null)
        {
            await DatabaseConnector.CheckAsync(database, cancellationToken).ConfigureAwait(false);
        }

        // pg_restore must read the archive (as new as the pg_dump that wrote it) and talk to the target.
        var needed = NewerOf(database.ServerVersion, backup.PgDumpVersion);
        var tools = await PostgresClientTools.FindForServerAsync(options.PostgresBin, needed, cancellationToken).ConfigureAwait(false);
        var (program, arguments) = backup.Format == BackupFormat.Plain
            ? (tools.Psql, PsqlArguments(backup, database))
            : (tools.PgRestore, PgRestoreArguments(backup, database, options));

        progress.Report($"restoring {Path.GetFileName(backup.Path)} into {database.Name} with {Path.GetFileName(program)} {tools.Version}");
        var reporter = new ClientProgress(progress, "restoring");
        reporter.TotalTables = backup.SchemaOnly ? null : backup.RowCounts.Count;
        ProcessResult result;
        await using (var libpq = LibpqEnvironment.For(database))
        {
            result = await ProcessRunner.RunAsync(program, arguments, cancellationToken,
                environment: libpq.Variables, timeout: Timeout.InfiniteTimeSpan, onErrorLine: reporter.OnLine).ConfigureAwait(false);
        }

        if (!result.Succeeded)
        {
            throw Failure(backup, database, result, options.Jobs <= 1);
        }
    }

    public static IReadOnlyList<string> PgRestoreArguments(OmegaBackup backup, OmegaDatabase database, RestoreOptions options)
    {
        var arguments = new List<string>
        {
            "--dbname=" + ConnInfoDatabase(database.Database),
            "--no-owner",
            "--exit-on-error",
            "--verbose",
            "--no-password",
        };
        if (options.Clean)
        {
            arguments.Add("--clean");
            arguments.Add("--if-exists");
        }

        if (options.NoPrivileges)
        {
            arguments.Add("--no-privileges");
        }

        arguments.Add(options.Jobs > 1 ? "--jobs=" + options.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture) : "--single-transaction");
        arguments.Add(backup.Format == BackupFormat.Directory ? "--format=directory" : "--format=custom");
        arguments.Add(backup.Path);
        return arguments;
    }

    public static IReadOnlyList<string> PsqlArguments(OmegaBackup backup, OmegaDatabase database) =>
    [
        "--dbname=" + ConnInfoDatabase(database.Database),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        "--file=" + backup.Path,
    ];

    /// <summary>
    /// A conninfo naming the database only: -d must be given for pg_restore to connect at all,
    /// and as "dbname=..." a name with '=' or a URI-like name is never taken for a connection
    /// string. Host, port, user and password come from the environment.
    /// </summary>
    private static string ConnInfoDatabase(string name) =>
        "dbname='" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string? NewerOf(string? serverVersion, string? dumpVersion)
    {
        var server = PostgresClientTools.ParseVersion(serverVersion ?? string.Empty);
        var dump = PostgresClientTools.ParseVersion(dumpVersion ?? string.Empty);
        return (server, dump) switch
        {
            (null, _) => dumpVersion,
            (_, null) => serverVersion,
            _ => server >= dump ? serverVersion : dumpVersion,
        };
    }

    private static OmegaException Failure(OmegaBackup backup, OmegaDatabase database, ProcessResult result, bool singleTransaction)
    {
        var text = result.StandardError + "\n" + result.StandardOutput;
        var extension = MissingExtensionPattern().Match(text);
        if (extension.Success)
        {
            var name = extension.Groups[1].Success ? extension.Groups[1].Value : extension.Groups[2].Value;
            return new OmegaException(ExtensionNotAvailableErrorId, OmegaErrorCategory.NotInstalled,
                $"The backup needs the extension '{name}', which the server of {database.Name} (PostgreSQL {database.ServerVersion}) does not have. Install it on that server (Debian/Ubuntu: the postgresql-{PostgresClientTools.ParseVersion(database.ServerVersion ?? string.Empty)?.Major}-{name} or postgresql-contrib package), or restore onto a server that has it.", database);
        }

        var errors = string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.StartsWith("ERROR", StringComparison.Ordinal) || l.StartsWith("Command was", StringComparison.Ordinal))
            .Take(8));
        var after = singleTransaction ? "The restore ran in one transaction, so nothing of it stayed." : "With -Jobs the restore is not one transaction: what was restored before the error stays.";
        return new OmegaException(RestoreFailedErrorId, OmegaErrorCategory.InvalidOperation,
            $"Restoring {Path.GetFileName(backup.Path)} into {database.Name} failed (exit code {result.ExitCode}). {after} The first errors:\n{SecretScrubber.Scrub(errors.Length > 0 ? errors : result.Tail(10))}", database);
    }

    // 15+: could not open extension control file ".../name.control"; older and other paths: extension "name" is not available.
    [GeneratedRegex("""extension control file "[^"]*/([^/"]+)\.control"|extension "([^"]+)" is not available""")]
    private static partial Regex MissingExtensionPattern();
}
