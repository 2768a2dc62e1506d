using System.Globalization;
using System.Text.RegularExpressions;

namespace OmegaDb.Migrations;

/// <summary>
/// <c>&lt;version&gt;_&lt;name&gt;.sql</c>: the version is the digits before the first
/// underscore, read as a number so that <c>001</c> and <c>1</c> are the same version.
/// </summary>
internal static partial class MigrationFileName
{
    public const string Example = "001_add_avatar_url.sql";

    /// <returns>The version and name, or the reason the name does not fit.</returns>
    public static (long Version, string Name)? Parse(string fileName, out string? problem)
    {
        var match = Pattern().Match(fileName);
        if (!match.Success)
        {
            problem = $"'{fileName}' is not a migration file name: name it <version>_<name>.sql, such as {Example}.";
            return null;
        }

        if (!long.TryParse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            problem = $"The version of '{fileName}' is too large: it must fit in a 64-bit integer (at most {long.MaxValue}).";
            return null;
        }

        var name = match.Groups["name"].Value;
        if (string.IsNullOrWhiteSpace(name))
        {
            problem = $"'{fileName}' has no name after its version: name it <version>_<name>.sql, such as {Example}.";
            return null;
        }

        problem = null;
        return (version, name);
    }

    [GeneratedRegex(@"\A(?<version>[0-9]+)_(?<name>.*)\.sql\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
