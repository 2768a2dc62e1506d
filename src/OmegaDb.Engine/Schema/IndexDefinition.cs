namespace OmegaDb.Schema;

/// <summary>
/// Cuts the key and INCLUDE column lists out of pg_get_indexdef's statement
/// (<c>CREATE INDEX i ON s.t USING btree (lower(name) text_pattern_ops DESC, id) INCLUDE (note) WHERE ...</c>).
/// PostgreSQL prints each key with its opclass, collation and ordering only in the whole
/// statement, and parsing it costs no extra catalog call per column.
/// </summary>
internal static class IndexDefinition
{
    private const string IncludeKeyword = " INCLUDE (";

    public static (IReadOnlyList<string> Keys, IReadOnlyList<string> Include) Split(string definition)
    {
        // Names before the column list that contain '(' are double-quoted, so the first
        // unquoted '(' opens the key list.
        var open = IndexOfUnquoted(definition, '(', 0);
        if (open < 0)
        {
            return ([], []);
        }

        var keys = ReadList(definition, open, out var end);
        if (end + IncludeKeyword.Length <= definition.Length &&
            string.CompareOrdinal(definition, end, IncludeKeyword, 0, IncludeKeyword.Length) == 0)
        {
            return (keys, ReadList(definition, end + IncludeKeyword.Length - 1, out _));
        }

        return (keys, []);
    }

    /// <summary>The comma-separated items of the parenthesised list opening at <paramref name="open"/>; <paramref name="end"/> is just past its ')'.</summary>
    private static List<string> ReadList(string text, int open, out int end)
    {
        var items = new List<string>();
        var depth = 0;
        var start = open + 1;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\'' or '"':
                    i = SkipQuoted(text, i);
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        items.Add(text[start..i].Trim());
                        end = i + 1;
                        return items;
                    }

                    break;
                case ',' when depth == 1:
                    items.Add(text[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        end = text.Length;
        return items;
    }

    private static int IndexOfUnquoted(string text, char wanted, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            if (text[i] is '\'' or '"')
            {
                i = SkipQuoted(text, i);
            }
            else if (text[i] == wanted)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Index of the quote that closes the literal or identifier opening at <paramref name="open"/>; a doubled quote is part of it.</summary>
    private static int SkipQuoted(string text, int open)
    {
        var quote = text[open];
        for (var i = open + 1; i < text.Length; i++)
        {
            if (text[i] != quote)
            {
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i++;
                continue;
            }

            return i;
        }

        return text.Length;
    }
}
