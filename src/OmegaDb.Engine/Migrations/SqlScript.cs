namespace OmegaDb.Migrations;

/// <summary>
/// The statements of a script, and whether its last statement was left open: inside a
/// parenthesis or a <c>BEGIN ATOMIC</c> body when the text ran out. An open statement is still
/// returned, so a caller that only needs the text can send it and let the server complain;
/// the migration parser refuses it, naming the statement.
/// </summary>
internal sealed record SqlScript(IReadOnlyList<SqlStatement> Statements, string? UnclosedConstruct)
{
    public bool EndsInsideStatement => UnclosedConstruct is not null;
}
