namespace OmegaDb.Data;

/// <summary>Quoting for the SQL the copy builds from catalog names and user values.</summary>
internal static class Sql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>An escape string literal: safe whatever standard_conforming_strings is.</summary>
    public static string Literal(string value) =>
        "E'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string ColumnList(IEnumerable<string> names) => string.Join(", ", names.Select(Quote));
}
