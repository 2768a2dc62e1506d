using System.Text;

namespace OmegaDb.Migrations;

/// <summary>
/// Reads a migration file as text that is the same whatever the checkout did to it: the
/// encoding comes from its byte order mark (UTF-8 without one, since that is what the server
/// receives), and CRLF line ends become LF. With git's core.autocrlf a Windows checkout has
/// CRLF where the commit has LF; normalising means such a file neither looks modified
/// (<see cref="MigrationChecksum"/>) nor puts a different string into the database.
/// </summary>
internal static class MigrationFileText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <returns>The normalised text, or null with a reason when the bytes are not text in a known encoding.</returns>
    public static string? Read(string path, out string? problem)
    {
        var bytes = File.ReadAllBytes(path);
        var (encoding, preamble) = bytes switch
        {
            [0xEF, 0xBB, 0xBF, ..] => ((Encoding)StrictUtf8, 3),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2),
            [0xFE, 0xFF, ..] => (new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2),
            _ => (StrictUtf8, 0),
        };

        try
        {
            problem = null;
            return Normalise(encoding.GetString(bytes, preamble, bytes.Length - preamble));
        }
        catch (DecoderFallbackException)
        {
            problem = "is not valid UTF-8 text. Save it as UTF-8, the encoding OmegaDb sends to the server.";
            return null;
        }
    }

    public static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
