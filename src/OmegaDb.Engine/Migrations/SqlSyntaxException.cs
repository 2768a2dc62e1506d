namespace OmegaDb.Migrations;

/// <summary>
/// Text the lexer cannot read, such as a string or comment that never ends. It carries the
/// line and column of the construct's start, which is where a user has to look; callers that
/// know the file name turn it into an <see cref="OmegaException"/>.
/// </summary>
internal sealed class SqlSyntaxException(string reason, int line, int column) : Exception(reason)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}
