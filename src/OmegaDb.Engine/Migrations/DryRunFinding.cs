namespace OmegaDb.Migrations;

/// <summary>
/// One thing the analysis found in a statement. <see cref="Line"/> and <see cref="Column"/>
/// point at the offending token in the file (the start of the statement for statement-level
/// findings, the function name for a call); <see cref="Statement"/> has the statement's own
/// position. The message says what happens and what to do, without the position, which the
/// caller adds with the file name.
/// </summary>
internal sealed record DryRunFinding(DryRunFindingKind Kind, SqlStatement Statement, int Line, int Column, string Message)
{
    /// <summary>
    /// For a <see cref="DryRunFindingKind.NotTransactional"/> statement that has a form a
    /// transaction accepts (CONCURRENTLY removed), that form: the statement's text with the
    /// removed keyword blanked out, so every position in it is still the file's.
    /// </summary>
    public SqlStatement? Rewrite { get; init; }

    public bool IsRewritten => Rewrite is not null;

    public static DryRunFinding At(DryRunFindingKind kind, SqlStatement statement, SqlToken token, string message) =>
        new(kind, statement, token.Line, token.Column, message);

    public static DryRunFinding AtStart(DryRunFindingKind kind, SqlStatement statement, string message) =>
        new(kind, statement, statement.Line, statement.Column, message);
}
