using System.Collections;

namespace OmegaDb.Data;

public enum MaskKind
{
    /// <summary><c>user-&lt;16 hex digits of SHA-256&gt;@example.invalid</c>.</summary>
    Email,

    /// <summary>A first and last name picked by the value's SHA-256.</summary>
    Name,

    /// <summary>The hex SHA-256 of the value.</summary>
    Hash,

    /// <summary>NULL (the column must allow it).</summary>
    Null,

    /// <summary>One value for every row.</summary>
    Fixed,
}

/// <summary>
/// How one column's values are replaced on the way. Every masker is a pure function of the
/// value (SHA-256, no key, no randomness), so a value masks the same in every table and every
/// run and joins on masked columns still match. NULL stays NULL: it reveals nothing.
/// </summary>
internal sealed record ColumnMask(MaskKind Kind, string? Value = null)
{
    public const string InvalidMaskErrorId = "OmegaDb.InvalidMask";

    private static readonly string[] FirstNames =
        ["Ada", "Alan", "Barbara", "Claude", "Donald", "Edsger", "Frances", "Grace", "Hedy", "John", "Katherine", "Ken",
         "Leslie", "Linus", "Margaret", "Niklaus", "Radia", "Robin", "Sophie", "Tim"];

    private static readonly string[] LastNames =
        ["Allen", "Backus", "Berners-Lee", "Cerf", "Dijkstra", "Hamilton", "Hopper", "Johnson", "Kay", "Knuth",
         "Lamport", "Liskov", "Lovelace", "Milner", "Perlman", "Ritchie", "Shannon", "Thompson", "Turing", "Wirth"];

    public override string ToString() => Kind == MaskKind.Fixed ? $"Fixed:{Value}" : Kind.ToString();

    /// <summary>
    /// A masker from a hashtable value: <c>'Email'</c>, <c>'Name'</c>, <c>'Hash'</c>, <c>'Null'</c>,
    /// <c>'Fixed:value'</c>, or <c>@{ Fixed = 'value' }</c>.
    /// </summary>
    public static ColumnMask Parse(string key, object? value)
    {
        switch (value)
        {
            case string text:
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                var name = colon < 0 ? text.Trim() : text[..colon].Trim();
                if (!Enum.TryParse<MaskKind>(name, ignoreCase: true, out var kind) || int.TryParse(name, out _))
                {
                    throw Invalid(key, $"'{text}' is not a masker");
                }

                if (kind == MaskKind.Fixed)
                {
                    return colon < 0
                        ? throw Invalid(key, "Fixed needs the value to write: 'Fixed:n/a' or @{ Fixed = 'n/a' }")
                        : new ColumnMask(kind, text[(colon + 1)..]);
                }

                return colon < 0 ? new ColumnMask(kind) : throw Invalid(key, $"{kind} takes no value ('{text}')");
            case IDictionary dictionary when dictionary.Count == 1:
                var entry = dictionary.Cast<DictionaryEntry>().Single();
                if (entry.Key is string k && string.Equals(k, nameof(MaskKind.Fixed), StringComparison.OrdinalIgnoreCase) && entry.Value is not null)
                {
                    return new ColumnMask(MaskKind.Fixed, Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture));
                }

                throw Invalid(key, "a hashtable value must be @{ Fixed = 'value' }");
            default:
                throw Invalid(key, $"'{value ?? "null"}' is not a masker");
        }
    }

    /// <summary>The SQL expression that replaces the column in the source's SELECT, cast back to its type.</summary>
    public string Expression(CopyColumn column)
    {
        var c = column.Sql;
        var digest = $"sha256(convert_to({c}::text, 'UTF8'))";
        return Kind switch
        {
            MaskKind.Null => $"NULL::{column.Type}",
            MaskKind.Fixed => $"CASE WHEN {c} IS NULL THEN NULL ELSE {Sql.Literal(Value!)}::{column.Type} END",
            MaskKind.Hash => $"encode({digest}, 'hex')::{column.Type}",
            MaskKind.Email => $"('user-' || left(encode({digest}, 'hex'), 16) || '@example.invalid')::{column.Type}",
            MaskKind.Name => $"((ARRAY[{Names(FirstNames)}])[1 + get_byte({digest}, 0) % {FirstNames.Length}] || ' ' || " +
                             $"(ARRAY[{Names(LastNames)}])[1 + get_byte({digest}, 1) % {LastNames.Length}])::{column.Type}",
            _ => throw new InvalidOperationException(Kind.ToString()),
        };
    }

    private static string Names(string[] names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static OmegaException Invalid(string key, string problem) =>
        new(InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
            $"The mask for '{key}' is not valid: {problem}. Use one of Email, Name, Hash, Null, 'Fixed:value' or @{{ Fixed = 'value' }}.", key);
}
