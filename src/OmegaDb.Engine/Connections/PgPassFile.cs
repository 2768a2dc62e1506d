using System.Text;

namespace OmegaDb.Connections;

/// <summary>
/// Reads a libpq password file (<c>hostname:port:database:username:password</c>, with
/// <c>*</c> wildcards and backslash escapes). Like libpq, a file that group or others can
/// read is ignored, since a password in it is not private.
/// </summary>
public static class PgPassFile
{
    public static string DefaultPath(Func<string, string?> getEnv)
    {
        var home = getEnv("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return OperatingSystem.IsWindows()
            ? Path.Combine(getEnv("APPDATA") ?? home, "postgresql", "pgpass.conf")
            : Path.Combine(home, ".pgpass");
    }

    /// <returns>The password, or null when no line matches or the file cannot be used.</returns>
    public static string? Lookup(string path, string host, int port, string database, string user)
    {
        if (!File.Exists(path) || !IsPrivate(path))
        {
            return null;
        }

        // libpq matches "localhost" for connections over a Unix socket.
        var hostToMatch = host.StartsWith('/') ? "localhost" : host;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = SplitFields(line);
            if (fields.Count < 5)
            {
                continue;
            }

            if (Matches(fields[0], hostToMatch) && Matches(fields[1], port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                && Matches(fields[2], database) && Matches(fields[3], user))
            {
                // As in libpq, the password ends at the next unescaped ':'.
                return fields[4];
            }
        }

        return null;
    }

    private static bool Matches(string pattern, string value) => pattern == "*" || pattern == value;

    private static List<string> SplitFields(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                current.Append(line[++i]);
            }
            else if (c == ':')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }

    private static bool IsPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute)) == 0;
    }
}
