namespace OmegaDb.Migrations;

/// <summary>
/// Names what a statement does by its leading keywords, close to PostgreSQL's command tags:
/// "CREATE INDEX" for <c>CREATE UNIQUE INDEX CONCURRENTLY</c>, "CREATE FUNCTION" for
/// <c>CREATE OR REPLACE FUNCTION</c>, "DELETE" for <c>WITH old AS (...) DELETE ...</c>.
/// Reports and rules match on these names instead of re-reading the keywords each time.
/// </summary>
internal static class StatementKind
{
    // Words between CREATE and the object type that do not change what kind of object it is.
    private static readonly string[] CreateModifiers =
        ["OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED", "UNIQUE", "TRUSTED", "PROCEDURAL", "RECURSIVE", "CONSTRAINT", "DEFAULT"];

    private static readonly string[][] MultiWordObjectTypes =
    [
        ["TEXT", "SEARCH", "CONFIGURATION"], ["TEXT", "SEARCH", "DICTIONARY"], ["TEXT", "SEARCH", "PARSER"], ["TEXT", "SEARCH", "TEMPLATE"],
        ["FOREIGN", "DATA", "WRAPPER"], ["MATERIALIZED", "VIEW"], ["FOREIGN", "TABLE"], ["EVENT", "TRIGGER"], ["ACCESS", "METHOD"],
        ["USER", "MAPPING"], ["OPERATOR", "CLASS"], ["OPERATOR", "FAMILY"], ["DEFAULT", "PRIVILEGES"], ["LARGE", "OBJECT"],
    ];

    private static readonly string[][] MultiWordStatements =
    [
        ["START", "TRANSACTION"], ["PREPARE", "TRANSACTION"], ["COMMIT", "PREPARED"], ["ROLLBACK", "PREPARED"],
        ["REFRESH", "MATERIALIZED", "VIEW"], ["IMPORT", "FOREIGN", "SCHEMA"], ["SECURITY", "LABEL"], ["REASSIGN", "OWNED"],
    ];

    private static readonly string[] DataVerbs = ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES"];

    public static string Describe(SqlStatement statement) => Describe(statement.Tokens);

    public static string Describe(IReadOnlyList<SqlToken> tokens)
    {
        if (tokens.Count == 0)
        {
            return string.Empty;
        }

        var first = tokens[0];
        if (first.IsPunctuation("("))
        {
            return "SELECT";
        }

        if (first.Kind != SqlTokenKind.Word)
        {
            return first.Text;
        }

        var reader = new TokenReader(tokens, 1);
        if (first.IsKeyword("WITH"))
        {
            var verb = reader.FindAtTopLevel(DataVerbs);
            return verb < 0 ? "WITH" : tokens[verb].Text.ToUpperInvariant();
        }

        if (first.IsKeyword("CREATE"))
        {
            while (reader.AcceptAny(CreateModifiers) is not null)
            {
            }

            return Join("CREATE", ObjectType(reader));
        }

        if (first.IsKeyword("ALTER", "DROP"))
        {
            return Join(first.Text.ToUpperInvariant(), ObjectType(reader));
        }

        reader.Position = 0;
        return MultiWordStatements.FirstOrDefault(reader.Is) is { } words ? string.Join(' ', words) : first.Text.ToUpperInvariant();
    }

    private static string ObjectType(TokenReader reader)
    {
        if (MultiWordObjectTypes.FirstOrDefault(reader.Is) is { } words)
        {
            return string.Join(' ', words);
        }

        return reader.Peek() is { Kind: SqlTokenKind.Word } word ? word.Text.ToUpperInvariant() : string.Empty;
    }

    private static string Join(string verb, string objectType) => objectType.Length == 0 ? verb : $"{verb} {objectType}";
}
