namespace OmegaDb.Migrations;

/// <summary>
/// A parsed migration file, as the runner needs it. <see cref="Version"/> is the numeric
/// prefix of the file name (<c>001</c> is 1); <see cref="Checksum"/> is
/// <see cref="MigrationChecksum"/>'s, which a line-ending change does not alter.
/// </summary>
/// <param name="Transactional">False when the file says <c>-- omega:no-transaction</c>.</param>
internal sealed record MigrationScript(
    long Version,
    string Name,
    string Path,
    string Checksum,
    MigrationSection Up,
    MigrationSection? Down,
    MigrationSection? Verify,
    bool Transactional)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}
