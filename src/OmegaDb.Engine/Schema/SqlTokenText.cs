using System.Text;

namespace OmegaDb.Schema;

/// <summary>Prints a term back as SQL with one canonical spacing: <c>lower(email)</c>, <c>a + b</c>, <c>x::text</c>.</summary>
internal static class SqlTokenText
{
    private static readonly HashSet<string> KeywordsBeforeParenthesis =
        ["any", "all", "some", "in", "exists", "not", "and", "or", "when", "then", "else", "as", "between", "check"];

    public static string Join(IReadOnlyList<SqlTermPart> parts)
    {
        var text = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0 && NeedsSpace(Last(parts[i - 1]), First(parts[i])))
            {
                text.Append(' ');
            }

            text.Append(parts[i] switch
            {
                SqlTokenPart t => t.Token.ToString(),
                SqlGroup g => g.Open + string.Join(", ", g.Arguments.Select(a => a.Render())) + g.Close,
                _ => string.Empty,
            });
        }

        return text.ToString();
    }

    private static SqlToken First(SqlTermPart part) => part is SqlGroup g ? new(SqlTokenKind.Punctuation, g.Open) : ((SqlTokenPart)part).Token;

    private static SqlToken Last(SqlTermPart part) => part is SqlGroup g ? new(SqlTokenKind.Punctuation, g.Close) : ((SqlTokenPart)part).Token;

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
}
