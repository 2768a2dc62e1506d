using System.Text.RegularExpressions;
using OmegaDb.Processes;

namespace OmegaDb.Sandboxes;

/// <summary>
/// A directory of PostgreSQL server programs (initdb, pg_ctl, postgres). Found, in order, in
/// an explicit directory, on PATH, then under <c>/usr/lib/postgresql/*/bin</c> newest first.
/// </summary>
public sealed partial class PostgresInstallation
{
    public const string NotFoundErrorId = "OmegaDb.PostgresBinariesNotFound";

    private PostgresInstallation(string binDirectory, Version version)
    {
        BinDirectory = binDirectory;
        Version = version;
    }

    public string BinDirectory { get; }

    public Version Version { get; }

    public string InitDb => Path.Combine(BinDirectory, "initdb");

    public string PgCtl => Path.Combine(BinDirectory, "pg_ctl");

    /// <summary>The directories that hold initdb and pg_ctl, in order of preference, without running them.</summary>
    public static IEnumerable<string> Candidates(string? explicitDirectory) =>
        PostgresBinDirectories.Candidates(explicitDirectory, "initdb", "pg_ctl");

    public static bool Exists(string? explicitDirectory = null) => Candidates(explicitDirectory).Any();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PostgresInstallation> Known = new(StringComparer.Ordinal);

    public static async Task<PostgresInstallation> FindAsync(string? explicitDirectory, CancellationToken cancellationToken)
    {
        foreach (var dir in Candidates(explicitDirectory).Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(Path.Combine(dir, "initdb")) || !File.Exists(Path.Combine(dir, "pg_ctl")))
            {
                continue;
            }

            // initdb --version is asked once per directory and process.
            if (Known.TryGetValue(dir, out var known))
            {
                return known;
            }

            var result = await ProcessRunner.RunAsync(Path.Combine(dir, "initdb"), ["--version"], cancellationToken).ConfigureAwait(false);
            var match = VersionPattern().Match(result.StandardOutput);
            if (result.Succeeded && match.Success)
            {
                var version = new Version(int.Parse(match.Groups[1].Value), match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : 0);
                return Known[dir] = new PostgresInstallation(dir, version);
            }
        }

        var where = string.IsNullOrEmpty(explicitDirectory)
            ? "on PATH or under /usr/lib/postgresql/*/bin"
            : $"in '{explicitDirectory}'";
        throw new OmegaException(NotFoundErrorId, OmegaErrorCategory.NotInstalled,
            $"No PostgreSQL server programs (initdb, pg_ctl) were found {where}. Install them (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql), pass -PostgresBin <directory>, or use -Engine Docker or -Engine Server.");
    }

    [GeneratedRegex(@"(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionPattern();
}
