using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OmegaDb.Processes;

namespace OmegaDb.ClientTools;

/// <summary>
/// A directory of PostgreSQL client programs (pg_dump, pg_restore, psql) of one major version.
/// pg_dump refuses to dump a server newer than itself, so the choice depends on the server:
/// the explicit directory, else every candidate on PATH and under <c>/usr/lib/postgresql/*/bin</c>,
/// taking the newest whose major version is at least the server's.
/// </summary>
public sealed partial class PostgresClientTools
{
    public const string NotFoundErrorId = "OmegaDb.PostgresClientNotFound";
    public const string TooOldErrorId = "OmegaDb.PgDumpTooOld";

    private static readonly ConcurrentDictionary<string, Version> KnownVersions = new(StringComparer.Ordinal);

    private PostgresClientTools(string binDirectory, Version version)
    {
        BinDirectory = binDirectory;
        Version = version;
    }

    public string BinDirectory { get; }

    /// <summary>pg_dump's version, e.g. 15.8.</summary>
    public Version Version { get; }

    public string PgDump => Path.Combine(BinDirectory, "pg_dump");

    public string PgRestore => Path.Combine(BinDirectory, "pg_restore");

    public string Psql => Path.Combine(BinDirectory, "psql");

    /// <summary>Directories holding pg_dump, in order of preference, without running anything.</summary>
    public static IEnumerable<string> Candidates(string? explicitDirectory) =>
        PostgresBinDirectories.Candidates(explicitDirectory, "pg_dump");

    /// <summary>
    /// The client programs able to dump a server of <paramref name="serverVersion"/> (as reported by
    /// <c>server_version</c>, e.g. "15.8 (Debian 15.8-1)"); the newest that qualifies.
    /// </summary>
    public static async Task<PostgresClientTools> FindForServerAsync(string? explicitDirectory, string? serverVersion, CancellationToken cancellationToken)
    {
        var serverMajor = ParseVersion(serverVersion ?? string.Empty)?.Major ?? 0;
        var found = new List<PostgresClientTools>();
        foreach (var dir in Candidates(explicitDirectory).Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, "pg_dump")))
            {
                continue;
            }

            var version = await VersionOfAsync(dir, cancellationToken).ConfigureAwait(false);
            if (version is not null)
            {
                found.Add(new PostgresClientTools(dir, version));
            }
        }

        var where = string.IsNullOrEmpty(explicitDirectory) ? "on PATH or under /usr/lib/postgresql/*/bin" : $"in '{explicitDirectory}'";
        if (found.Count == 0)
        {
            throw new OmegaException(NotFoundErrorId, OmegaErrorCategory.NotInstalled,
                $"No PostgreSQL client programs (pg_dump, pg_restore, psql) were found {where}. Install them (Debian/Ubuntu: apt-get install postgresql-client-{(serverMajor > 0 ? serverMajor : 15)}; macOS: brew install libpq), or pass -PostgresBin <directory>.");
        }

        var usable = found.Where(t => t.Version.Major >= serverMajor).OrderByDescending(t => t.Version).FirstOrDefault();
        if (usable is null)
        {
            var newest = found.OrderByDescending(t => t.Version).First();
            throw new OmegaException(TooOldErrorId, OmegaErrorCategory.NotInstalled,
                $"pg_dump {newest.Version} (in {newest.BinDirectory}) cannot dump a PostgreSQL {serverMajor} server; pg_dump {serverMajor} or newer is needed. Install postgresql-client-{serverMajor} (Debian/Ubuntu) or pass -PostgresBin <directory of pg_dump {serverMajor}+>.");
        }

        return usable;
    }

    private static async Task<Version?> VersionOfAsync(string directory, CancellationToken cancellationToken)
    {
        if (KnownVersions.TryGetValue(directory, out var known))
        {
            return known;
        }

        var result = await ProcessRunner.RunAsync(Path.Combine(directory, "pg_dump"), ["--version"], cancellationToken, timeout: TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        var version = result.Succeeded ? ParseVersion(result.StandardOutput) : null;
        if (version is not null)
        {
            KnownVersions[directory] = version;
        }

        return version;
    }

    /// <summary>The first "major[.minor]" in a version banner.</summary>
    public static Version? ParseVersion(string text)
    {
        var match = VersionPattern().Match(text);
        return match.Success
            ? new Version(int.Parse(match.Groups[1].Value), match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0)
            : null;
    }

    [GeneratedRegex(@"(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionPattern();
}
