using System.Security.Cryptography;
using System.Text;

namespace OmegaDb.Migrations;

/// <summary>
/// The checksum that tells whether an applied migration's file has changed since: SHA-256 in
/// lower-case hex of the file's text as UTF-8, after <see cref="MigrationFileText.Normalise"/>
/// turned CRLF into LF. A checkout with git's core.autocrlf (CRLF on Windows, LF in the
/// repository) therefore has the same checksum as the committed file, as does a copy saved
/// with a byte order mark or as UTF-16; any other change, even to whitespace or a comment,
/// changes it.
/// </summary>
internal static class MigrationChecksum
{
    public static string Compute(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(MigrationFileText.Normalise(text)))).ToLowerInvariant();
}
