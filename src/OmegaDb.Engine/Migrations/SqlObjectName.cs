namespace OmegaDb.Migrations;

/// <summary>
/// A table or other object named in a statement, as PostgreSQL resolves the name: unquoted
/// parts folded to lower case, quoted parts as written. <see cref="Schema"/> is null when the
/// statement leaves it to the search_path. A database prefix (<c>db.schema.t</c>) is dropped,
/// since PostgreSQL only accepts the current database there.
/// </summary>
internal sealed record SqlObjectName(string? Schema, string Name)
{
    /// <summary>The name as SQL, each part quoted, ready to put into a query.</summary>
    public string ToSql() => Schema is null ? Quote(Name) : $"{Quote(Schema)}.{Quote(Name)}";

    public override string ToString() => Schema is null ? Name : $"{Schema}.{Name}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
