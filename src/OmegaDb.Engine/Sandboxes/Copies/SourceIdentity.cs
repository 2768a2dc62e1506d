using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OmegaDb.Sandboxes;

/// <summary>
/// Which database a template was made from: host, port and database name. Templates of one
/// source share <see cref="Key"/>, so a newer schema replaces the older template of the same
/// source and never one of another source.
/// </summary>
internal sealed record SourceIdentity(string Host, int Port, string Database)
{
    public static SourceIdentity Of(OmegaDatabase database) =>
        new(database.Host.ToLowerInvariant(), database.Port, database.Database);

    /// <summary>12 hex digits: short enough for a database name, wide enough not to collide between a team's sources.</summary>
    public string Key => Hash(string.Join('\u001f', Host, Port.ToString(CultureInfo.InvariantCulture), Database));

    /// <summary>The part of a template's name that changes with the schema.</summary>
    public static string FingerprintKey(string fingerprint) => Hash(fingerprint);

    /// <summary>Whether <paramref name="other"/> is the same server (the Server engine can clone within a server only).</summary>
    public static bool SameServer(OmegaDatabase database, OmegaDatabase other) =>
        string.Equals(database.Host, other.Host, StringComparison.OrdinalIgnoreCase) && database.Port == other.Port;

    private static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12].ToLowerInvariant();
}
