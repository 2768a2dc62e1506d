namespace OmegaDb.Sandboxes;

/// <summary>
/// A restore stops half-way at the first CREATE EXTENSION the sandbox's server cannot run,
/// so the source's extensions are checked against what the sandbox has before anything is restored.
/// </summary>
internal static class ExtensionCheck
{
    public const string MissingErrorId = "OmegaDb.SandboxExtensionMissing";

    public const string InstalledSql = "SELECT extname FROM pg_catalog.pg_extension ORDER BY 1";

    public const string AvailableSql = "SELECT name FROM pg_catalog.pg_available_extensions";

    /// <summary>The extensions in <paramref name="required"/> that are not in <paramref name="available"/>, sorted.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> required, IEnumerable<string> available)
    {
        var have = new HashSet<string>(available, StringComparer.Ordinal);
        return required.Where(e => !have.Contains(e)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Throws when the sandbox lacks any of the source's extensions, naming all of them.</summary>
    public static void EnsureAvailable(IEnumerable<string> required, IEnumerable<string> available, string sandboxServer, OmegaDatabase source)
    {
        var missing = Missing(required, available);
        if (missing.Count > 0)
        {
            throw new OmegaException(MissingErrorId, OmegaErrorCategory.NotInstalled,
                $"The source uses extension(s) that the sandbox's server ({sandboxServer}) does not have: {string.Join(", ", missing)}. "
                + "Install them on the machine that runs the sandbox (Debian/Ubuntu: the postgresql-contrib or postgresql-<major>-<extension> package), "
                + "or use -Engine Server with a server that has them.", source);
        }
    }
}
