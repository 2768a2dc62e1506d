using System.Globalization;
using System.Text;

namespace OmegaDb.Schema;

/// <summary>
/// Type names the way PostgreSQL means them, so that what a user writes (<c>int</c>,
/// <c>varchar(20)</c>, <c>timestamptz</c>, <c>_int4</c>) compares equal to what format_type
/// prints (<c>integer</c>, <c>character varying(20)</c>, <c>timestamp with time zone</c>,
/// <c>integer[]</c>). Names fold to lower case outside double quotes; array bounds are
/// dropped, as PostgreSQL ignores them.
/// </summary>
public static class PostgresTypeNames
{
    /// <summary>The name as format_type would print it, schema kept except pg_catalog.</summary>
    public static string Normalize(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        var parsed = Parse(typeName);
        return parsed.Schema is null ? parsed.Body : parsed.Schema + "." + parsed.Body;
    }

    /// <summary>
    /// True when both name the same type. A schema is compared only when both sides name one:
    /// <c>mood</c> matches <c>public.mood</c> or <c>app.mood</c>, <c>app.mood</c> does not
    /// match <c>public.mood</c>.
    /// </summary>
    public static bool Matches(string expected, string actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var e = Parse(expected);
        var a = Parse(actual);
        return e.Body == a.Body && (e.Schema is null || a.Schema is null || e.Schema == a.Schema);
    }

    private readonly record struct ParsedName(string? Schema, string Body);

    private static ParsedName Parse(string text)
    {
        var tokens = SqlTokenizer.Tokenize(text);
        return TryParse(tokens, out var parsed) ? parsed : new ParsedName(null, string.Join(" ", tokens));
    }

    private static bool TryParse(List<SqlToken> tokens, out ParsedName parsed)
    {
        parsed = default;
        var at = 0;
        SqlToken? Peek(int ahead = 0) => at + ahead < tokens.Count ? tokens[at + ahead] : null;
        bool PeekIs(string text) => Peek() is { } t && t.Is(text);

        if (Peek() is not { IsName: true })
        {
            return false;
        }

        var parts = new List<SqlToken> { tokens[at++] };
        while (PeekIs(".") && Peek(1) is { IsName: true })
        {
            parts.Add(tokens[at + 1]);
            at += 2;
        }

        var schema = parts.Count > 1 ? string.Join(".", parts.SkipLast(1)) : null;
        if (schema == "pg_catalog")
        {
            schema = null;
        }

        var nameToken = parts[^1];
        var name = nameToken.Text;
        var quoted = nameToken.Kind == SqlTokenKind.QuotedIdentifier;
        var builtin = schema is null;
        var array = false;

        // _int4 is the array type of int4: PostgreSQL names every array type that way.
        if (!quoted && name.Length > 1 && name[0] == '_')
        {
            name = name[1..];
            array = true;
        }

        if (builtin && !quoted)
        {
            if (name == "double" && PeekIs("precision"))
            {
                name = "double precision";
                at++;
            }
            else if (name is "character" or "char" or "bit" && PeekIs("varying"))
            {
                name += " varying";
                at++;
            }
        }

        var modifier = PeekIs("(") ? ReadParenthesized(tokens, ref at) : null;
        if (modifier is null && tokens.Count > at && tokens[at].Is("("))
        {
            return false;
        }

        string? zone = null;
        if (builtin && name is "timestamp" or "time" && (PeekIs("with") || PeekIs("without")))
        {
            zone = tokens[at].Text;
            if (!(Peek(1) is { } time && time.Is("time") && Peek(2) is { } z && z.Is("zone")))
            {
                return false;
            }

            at += 3;
        }

        var fields = new List<string>();
        if (builtin && name == "interval")
        {
            while (Peek() is { Kind: SqlTokenKind.Word } field && field.Text is "year" or "month" or "day" or "hour" or "minute" or "second" or "to")
            {
                fields.Add(field.Text);
                at++;
            }

            if (fields.Count > 0 && PeekIs("("))
            {
                fields[^1] += ReadParenthesized(tokens, ref at);
            }
        }

        while (at < tokens.Count)
        {
            if (PeekIs("array"))
            {
                at++;
            }
            else if (!PeekIs("["))
            {
                return false;
            }

            if (PeekIs("[") && ReadBracketed(tokens, ref at) is false)
            {
                return false;
            }

            array = true;
        }

        var body = builtin ? Builtin(name, quoted, modifier, zone, fields) : SqlIdentifier.Quote(name) + modifier;
        parsed = new ParsedName(schema, array ? body + "[]" : body);
        return true;
    }

    /// <summary>A name in pg_catalog, or unqualified, as format_type prints it.</summary>
    private static string Builtin(string name, bool quoted, string? modifier, string? zone, List<string> intervalFields)
    {
        if (quoted)
        {
            // "char" is a one-byte type, unlike char = character(1); "bit" is bit of any length.
            if (name == "char" || (name == "bit" && modifier is null))
            {
                return "\"" + name + "\"";
            }

            // A quoted name is looked up in the catalog, where only the internal names exist.
            if (!CatalogNames.Contains(name))
            {
                return SqlIdentifier.Quote(name) + modifier;
            }
        }

        var withZone = zone == "with";
        return name switch
        {
            "int" or "integer" or "int4" or "serial" or "serial4" => "integer",
            "smallint" or "int2" or "smallserial" or "serial2" => "smallint",
            "bigint" or "int8" or "bigserial" or "serial8" => "bigint",
            "real" or "float4" => "real",
            "double precision" or "float8" => "double precision",
            "float" => FloatPrecision(modifier) is <= 24 ? "real" : "double precision",
            "bool" or "boolean" => "boolean",
            "varchar" or "character varying" or "char varying" => "character varying" + modifier,
            "character" or "char" => "character" + (modifier ?? "(1)"),
            "bpchar" => modifier is null ? "bpchar" : "character" + modifier,
            "decimal" or "dec" or "numeric" => "numeric" + modifier,
            "timestamptz" => "timestamp" + modifier + " with time zone",
            "timestamp" => "timestamp" + modifier + (withZone ? " with time zone" : " without time zone"),
            "timetz" => "time" + modifier + " with time zone",
            "time" => "time" + modifier + (withZone ? " with time zone" : " without time zone"),
            "varbit" or "bit varying" => "bit varying" + modifier,
            "bit" => "bit" + (modifier ?? "(1)"),
            "interval" when intervalFields.Count > 0 => "interval " + string.Join(" ", intervalFields) + modifier,
            _ => SqlIdentifier.Quote(name) + modifier,
        };
    }

    private static readonly HashSet<string> CatalogNames =
    [
        "int2", "int4", "int8", "float4", "float8", "bool", "varchar", "bpchar", "numeric",
        "timestamp", "timestamptz", "time", "timetz", "varbit", "bit",
    ];

    private static int? FloatPrecision(string? modifier) =>
        modifier is not null && int.TryParse(modifier.AsSpan(1, modifier.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;

    /// <summary>Reads <c>( ... )</c> at <paramref name="at"/>, without the spaces: <c>( 12 , 2 )</c> is <c>(12,2)</c>.</summary>
    private static string? ReadParenthesized(List<SqlToken> tokens, ref int at)
    {
        var text = new StringBuilder("(");
        var depth = 0;
        for (var i = at; i < tokens.Count; i++)
        {
            var token = tokens[i];
            depth += token.Is("(") ? 1 : token.Is(")") ? -1 : 0;
            if (i > at && depth == 0)
            {
                at = i + 1;
                return text.Append(')').ToString();
            }

            if (i > at)
            {
                var previous = tokens[i - 1];
                if (previous.Kind is SqlTokenKind.Word or SqlTokenKind.Number && token.Kind is SqlTokenKind.Word or SqlTokenKind.Number)
                {
                    text.Append(' ');
                }

                text.Append(token);
            }
        }

        return null;
    }

    private static bool ReadBracketed(List<SqlToken> tokens, ref int at)
    {
        at++;
        if (at < tokens.Count && tokens[at].Kind == SqlTokenKind.Number)
        {
            at++;
        }

        if (at < tokens.Count && tokens[at].Is("]"))
        {
            at++;
            return true;
        }

        return false;
    }
}
