namespace OmegaDb.Schema;

internal enum SqlTokenKind
{
    /// <summary>An unquoted identifier or keyword, lower-cased as PostgreSQL folds it.</summary>
    Word,

    /// <summary>A double-quoted identifier: its text without the quotes, case kept.</summary>
    QuotedIdentifier,

    /// <summary>A string constant exactly as written, quotes included.</summary>
    String,

    Number,
    Operator,

    /// <summary>One of ( ) [ ] , ; .</summary>
    Punctuation,

    /// <summary>The :: cast.</summary>
    Cast,

    /// <summary>
    /// A string constant cast to regclass and the like (<c>'public.seq'::regclass</c>): the
    /// name of an object, compared as a name. Made by the expression normaliser, not the lexer.
    /// </summary>
    ObjectName,

    Other,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, string Text)
{
    public bool Is(string punctuationOrWord) =>
        (Kind is SqlTokenKind.Punctuation or SqlTokenKind.Word or SqlTokenKind.Operator) && Text == punctuationOrWord;

    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    public bool IsLiteral => Kind is SqlTokenKind.String or SqlTokenKind.Number;

    /// <summary>The token as PostgreSQL would print it back.</summary>
    public override string ToString() => Kind switch
    {
        SqlTokenKind.QuotedIdentifier => SqlIdentifier.Quote(Text),
        SqlTokenKind.ObjectName => "'" + Text.Replace("'", "''", StringComparison.Ordinal) + "'",
        _ => Text,
    };
}
