namespace OmegaDb.Processes;

/// <summary>
/// Where PostgreSQL's programs may be, in order of preference, without running anything: the
/// directory the user named, else every directory on PATH that holds the program (links
/// resolved, so that a Debian link in /usr/bin leads to its versioned directory and not to
/// pg_wrapper, which picks a version by rules of its own), then <c>/usr/lib/postgresql/*/bin</c>
/// newest first.
/// </summary>
internal static class PostgresBinDirectories
{
    /// <param name="program">The program that must be there (initdb, pg_dump).</param>
    /// <param name="alongside">Programs that must sit beside it in a PATH directory.</param>
    public static IEnumerable<string> Candidates(string? explicitDirectory, string program, params string[] alongside)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            yield return explicitDirectory;
            yield break;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, program);
            if (!File.Exists(path) || !alongside.All(other => File.Exists(Path.Combine(dir, other))))
            {
                continue;
            }

            var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            if (!Path.GetFileName(real).Equals("pg_wrapper", StringComparison.Ordinal))
            {
                yield return Path.GetDirectoryName(real)!;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            foreach (var dir in Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), out var m) ? m : 0))
                .OrderByDescending(d => d.Major))
            {
                if (File.Exists(Path.Combine(dir.Dir, program)))
                {
                    yield return dir.Dir;
                }
            }
        }
    }
}
