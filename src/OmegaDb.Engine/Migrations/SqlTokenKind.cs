namespace OmegaDb.Migrations;

/// <summary>
/// What a run of SQL text is, as far as splitting statements and spotting calls needs:
/// strings, comments and quoted identifiers are kept apart so that nothing inside them is
/// ever mistaken for a keyword or a statement end.
/// </summary>
internal enum SqlTokenKind
{
    Whitespace,

    /// <summary><c>-- ...</c> up to, not including, the line break.</summary>
    LineComment,

    /// <summary><c>/* ... */</c>, nesting as in PostgreSQL.</summary>
    BlockComment,

    /// <summary>An unquoted identifier or keyword; PostgreSQL folds it to lower case.</summary>
    Word,

    /// <summary><c>"a""b"</c>: kept as written, case and all.</summary>
    QuotedIdentifier,

    /// <summary><c>U&amp;"d\0061t\+000061"</c>; the Unicode escapes are not decoded.</summary>
    UnicodeQuotedIdentifier,

    /// <summary><c>'it''s'</c>, also <c>N'...'</c>; a backslash is an ordinary character.</summary>
    String,

    /// <summary><c>E'it\'s'</c>: backslash escapes.</summary>
    EscapeString,

    /// <summary><c>U&amp;'...'</c>.</summary>
    UnicodeString,

    /// <summary><c>B'0101'</c>.</summary>
    BitString,

    /// <summary><c>X'1F'</c>.</summary>
    HexString,

    /// <summary><c>$$...$$</c> or <c>$tag$...$tag$</c>, the usual form of function and DO bodies.</summary>
    DollarString,

    Number,

    /// <summary><c>$1</c>, a positional parameter.</summary>
    Parameter,

    /// <summary>A PostgreSQL operator such as <c>+</c>, <c>&lt;&gt;</c>, <c>-&gt;&gt;</c>, <c>@@</c>.</summary>
    Operator,

    /// <summary><c>( ) [ ] , . : :: := ..</c>.</summary>
    Punctuation,

    Semicolon,

    /// <summary>A character PostgreSQL's grammar has no use for, such as a psql backslash.</summary>
    Other,
}
