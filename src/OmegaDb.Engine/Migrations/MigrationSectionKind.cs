namespace OmegaDb.Migrations;

/// <summary>The parts of a migration file, named after their markers (<c>-- omega:up</c>, ...).</summary>
internal enum MigrationSectionKind
{
    Up,
    Down,
    Verify,
}
