namespace OmegaDb.Migrations;

/// <summary>
/// Reads the target of a statement that destroys data (DROP TABLE, ALTER TABLE ... DROP
/// COLUMN, TRUNCATE, DELETE), so that an undo can count what its down scripts would destroy
/// before running them. Statements inside DO blocks or dynamic SQL are not seen.
/// </summary>
internal static class DataLossTargetFinder
{
    public static DataLossTarget? Find(SqlStatement statement) => StatementKind.Describe(statement) switch
    {
        "DROP TABLE" => DropTable(statement),
        "ALTER TABLE" => DropColumns(statement),
        "TRUNCATE" => Truncate(statement),
        "DELETE" => Delete(statement),
        _ => null,
    };

    private static DroppedTables? DropTable(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens, 2);
        reader.Accept("IF", "EXISTS");
        var tables = Names(reader, out var cascade);
        return tables.Count == 0 ? null : new DroppedTables(statement, tables, cascade);
    }

    private static TruncatedTables? Truncate(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens, 1);
        reader.AcceptAny("TABLE");
        var tables = Names(reader, out var cascade);
        return tables.Count == 0 ? null : new TruncatedTables(statement, tables, cascade);
    }

    /// <summary>A list of <c>[ONLY] name [*]</c>, then options up to <c>CASCADE</c> or <c>RESTRICT</c>.</summary>
    private static List<SqlObjectName> Names(TokenReader reader, out bool cascade)
    {
        var names = new List<SqlObjectName>();
        cascade = false;
        foreach (var item in reader.RestAsList())
        {
            var r = new TokenReader(item);
            r.AcceptAny("ONLY");
            if (r.ReadName() is { } name)
            {
                names.Add(name);
            }

            cascade |= item.Any(t => t.IsKeyword("CASCADE"));
        }

        return names;
    }

    private static DroppedColumns? DropColumns(SqlStatement statement)
    {
        var reader = new TokenReader(statement.Tokens, 2);
        reader.Accept("IF", "EXISTS");
        reader.AcceptAny("ONLY");
        if (reader.ReadName() is not { } table)
        {
            return null;
        }

        reader.AcceptSymbol("*");
        var columns = new List<string>();
        foreach (var action in reader.RestAsList())
        {
            // DROP CONSTRAINT keeps the data; ALTER COLUMN c DROP DEFAULT does not start with DROP.
            var a = new TokenReader(action);
            if (a.AcceptAny("DROP") is null || a.Is("CONSTRAINT"))
            {
                continue;
            }

            a.AcceptAny("COLUMN");
            a.Accept("IF", "EXISTS");
            if (a.Peek()?.IsName == true)
            {
                columns.Add(a.Peek()!.Identifier!);
            }
        }

        return columns.Count == 0 ? null : new DroppedColumns(statement, table, columns);
    }

    private static DeletedRows? Delete(SqlStatement statement)
    {
        var tokens = statement.Tokens;
        var reader = new TokenReader(tokens);
        var delete = reader.FindAtTopLevel("DELETE");
        string? with = delete > 0 && tokens[0].IsKeyword("WITH") ? Between(statement, tokens[1], tokens[delete - 1]) : null;
        reader.Position = delete + 1;
        reader.AcceptAny("FROM");
        var only = reader.AcceptAny("ONLY") is not null;
        if (reader.ReadName() is not { } table)
        {
            return null;
        }

        reader.AcceptSymbol("*");
        var alias = reader.AcceptAny("AS") is not null || reader.Peek() is { IsName: true } && !reader.Peek()!.IsKeyword("USING", "WHERE", "RETURNING")
            ? reader.Peek()?.Identifier
            : null;
        if (alias is not null)
        {
            reader.Position++;
        }

        return new DeletedRows(statement, table, only, alias, with,
            Clause(statement, reader, "USING", "WHERE", "RETURNING"),
            Clause(statement, reader, "WHERE", "RETURNING"));
    }

    /// <summary>The text of the clause that <paramref name="keyword"/> starts, up to the first of <paramref name="ends"/>.</summary>
    private static string? Clause(SqlStatement statement, TokenReader reader, string keyword, params string[] ends)
    {
        var start = reader.FindAtTopLevel(keyword);
        if (start < 0 || start + 1 >= reader.Tokens.Count)
        {
            return null;
        }

        var end = new TokenReader(reader.Tokens, start + 1).FindAtTopLevel(ends);
        var last = end < 0 ? reader.Tokens[^1] : reader.Tokens[end - 1];
        return end == start + 1 ? null : Between(statement, reader.Tokens[start + 1], last);
    }

    private static string Between(SqlStatement statement, SqlToken first, SqlToken last) =>
        statement.Text[(first.Offset - statement.Offset)..(last.End - statement.Offset)];
}
