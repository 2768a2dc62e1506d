using System.Text.RegularExpressions;

namespace OmegaDb.Schema;

/// <summary>Quoting of identifiers the way quote_ident does it, for printing canonical text.</summary>
internal static partial class SqlIdentifier
{
    /// <summary>
    /// Quotes a name unless it reads the same unquoted. Keywords are not consulted: a quoted
    /// <c>"user"</c> and an unquoted <c>user</c> name the same object wherever both parse.
    /// </summary>
    public static string Quote(string name) =>
        Plain().IsMatch(name) ? name : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[a-z_][a-z0-9_$]*$")]
    private static partial Regex Plain();
}
