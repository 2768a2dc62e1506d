using System.Text;

namespace OmegaDb.Schema;

/// <summary>Prints tokens back as SQL with one canonical spacing: <c>lower(email)</c>, <c>a + b</c>, <c>x::text</c>.</summary>
internal static class SqlTokenText
{
    public static string Join(IReadOnlyList<SqlToken> tokens)
    {
        var text = new StringBuilder();
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i > 0 && NeedsSpace(tokens[i - 1], tokens[i]))
            {
                text.Append(' ');
            }

            text.Append(tokens[i]);
        }

        return text.ToString();
    }

    private static bool NeedsSpace(SqlToken previous, SqlToken current)
    {
        if (previous.Is("(") || previous.Is("[") || previous.Is(".") || previous.Kind == SqlTokenKind.Cast)
        {
            return false;
        }

        if (current.Is(")") || current.Is("]") || current.Is(",") || current.Is(".") || current.Is("[") || current.Kind == SqlTokenKind.Cast)
        {
            return false;
        }

        // A function call is name(args); after a keyword PostgreSQL prints a space: ANY (ARRAY[...]).
        return !(current.Is("(") && previous.IsName && !(previous.Kind == SqlTokenKind.Word && KeywordsBeforeParenthesis.Contains(previous.Text)));
    }

    private static readonly HashSet<string> KeywordsBeforeParenthesis =
        ["any", "all", "some", "in", "exists", "not", "and", "or", "when", "then", "else", "as", "between"];
}
