namespace OmegaDb.Migrations;

/// <summary>
/// One section of a migration file: its statements in order, never empty. Statement
/// positions are in the file, not in the section, so errors point at the line a user sees.
/// </summary>
internal sealed record MigrationSection(MigrationSectionKind Kind, IReadOnlyList<SqlStatement> Statements);
