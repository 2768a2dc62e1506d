using Npgsql;

namespace OmegaDb.Schema;

/// <summary>Reads the nullable and array columns catalog queries return.</summary>
internal static class CatalogRowReading
{
    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static IReadOnlyList<string> StringArray(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<string[]>(ordinal);
}
