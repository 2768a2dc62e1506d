namespace OmegaDb.Migrations;

/// <summary>
/// One statement of a script: its exact text from its first token to its last (leading
/// comments and the closing <c>;</c> left out), and where that text starts in the file.
/// Because the text is an unaltered slice of the file, a position the server reports in it
/// maps straight back to a line and column in the file.
/// </summary>
internal sealed class SqlStatement
{
    public SqlStatement(string text, int offset, int line, int column, IReadOnlyList<SqlToken> tokens)
    {
        Text = text;
        Offset = offset;
        Line = line;
        Column = column;
        Tokens = tokens;
    }

    public string Text { get; }

    /// <summary>Character offset of <see cref="Text"/> in the file.</summary>
    public int Offset { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The significant tokens: no whitespace, no comments, no closing semicolon.</summary>
    public IReadOnlyList<SqlToken> Tokens { get; }

    /// <summary>
    /// The file line and column of a 1-based character position as PostgreSQL reports it in
    /// an error (<c>PostgresException.Position</c>). The server counts characters, so a
    /// character outside the Basic Multilingual Plane counts once here although .NET holds it
    /// as two code units. A position past the end points just after the statement.
    /// </summary>
    public (int Line, int Column) LocationOf(int serverPosition)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(serverPosition, 1);
        var (line, column) = (Line, Column);
        var characters = 1;
        for (var i = 0; i < Text.Length && characters < serverPosition; i++, characters++)
        {
            if (SqlLexer.EndsLine(Text, i))
            {
                line++;
                column = 1;
                continue;
            }

            if (char.IsHighSurrogate(Text[i]) && i + 1 < Text.Length && char.IsLowSurrogate(Text[i + 1]))
            {
                i++;
                column++;
            }

            column++;
        }

        return (line, column);
    }

    public override string ToString() => $"line {Line}, column {Column}: {Text}";
}
