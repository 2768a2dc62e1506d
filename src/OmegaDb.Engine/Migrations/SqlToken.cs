namespace OmegaDb.Migrations;

/// <summary>
/// One token of a script, with where it starts in the text the lexer was given: the
/// character offset and the 1-based line and column, so that every finding and error can
/// point into the migration file itself.
/// </summary>
internal sealed record SqlToken(SqlTokenKind Kind, string Text, int Offset, int Line, int Column)
{
    public int End => Offset + Text.Length;

    /// <summary>Whitespace and comments: they separate tokens but never change what a statement means.</summary>
    public bool IsTrivia => Kind is SqlTokenKind.Whitespace or SqlTokenKind.LineComment or SqlTokenKind.BlockComment;

    /// <summary>True for an unquoted word equal to <paramref name="keyword"/> in any case; a quoted <c>"end"</c> is never a keyword.</summary>
    public bool IsKeyword(string keyword) =>
        Kind == SqlTokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsKeyword(params string[] keywords) => keywords.Any(IsKeyword);

    public bool IsPunctuation(string text) =>
        Kind is SqlTokenKind.Punctuation or SqlTokenKind.Semicolon && Text == text;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    /// <summary>
    /// The name PostgreSQL resolves the token to: unquoted words folded to lower case (ASCII
    /// only, as PostgreSQL does for multibyte encodings), quoted ones unquoted. Null when the
    /// token is not an identifier.
    /// </summary>
    public string? Identifier => Kind switch
    {
        SqlTokenKind.Word => FoldCase(Text),
        SqlTokenKind.QuotedIdentifier => Text[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal),
        _ => null,
    };

    /// <summary>For a dollar-quoted string, its delimiter (<c>$$</c> or <c>$tag$</c>).</summary>
    public string DollarDelimiter =>
        Kind == SqlTokenKind.DollarString ? Text[..(Text.IndexOf('$', 1) + 1)] : throw new InvalidOperationException("Not a dollar-quoted string.");

    /// <summary>For a dollar-quoted string, the text between the delimiters.</summary>
    public string DollarBody => Text[DollarDelimiter.Length..^DollarDelimiter.Length];

    private static string FoldCase(string word) =>
        string.Create(word.Length, word, static (span, w) =>
        {
            for (var i = 0; i < w.Length; i++)
            {
                span[i] = char.IsAsciiLetterUpper(w[i]) ? (char)(w[i] + 32) : w[i];
            }
        });
}
