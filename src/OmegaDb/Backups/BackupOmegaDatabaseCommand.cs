using System.Management.Automation;
using OmegaDb.Backups;

namespace OmegaDb.Commands;

/// <summary>
/// Backup-OmegaDatabase: pg_dump in an exported snapshot, beside a manifest describing exactly
/// what was dumped; written under temporary names and moved into place only when complete.
/// </summary>
[Cmdlet(VerbsData.Backup, "OmegaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OmegaBackup))]
public sealed class BackupOmegaDatabaseCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Database { get; set; } = null!;

    /// <summary>A directory for the default name, or the dump's own file (or directory) name.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter SchemaOnly { get; set; }

    [Parameter]
    public BackupFormat Format { get; set; } = BackupFormat.Custom;

    [Parameter]
    [ValidateRange(1, 128)]
    public int Jobs { get; set; } = 1;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PostgresBin { get; set; }

    protected override void ProcessRecord()
    {
        BackupRequest request;
        try
        {
            BackupRequest.Validate(Format, Jobs);
            var path = Path is null ? null : GetUnresolvedProviderPathFromPSPath(Path);
            var target = BackupTarget.Resolve(path, SessionState.Path.CurrentFileSystemLocation.ProviderPath, Database.Database, Format, DateTimeOffset.Now);
            request = new BackupRequest
            {
                Database = Database,
                Target = target,
                Format = Format,
                SchemaOnly = SchemaOnly,
                Jobs = Jobs,
                PostgresBin = PostgresBin is null ? null : GetUnresolvedProviderPathFromPSPath(PostgresBin),
            };
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Database);
            return;
        }

        var what = $"Back up {Database.Name}{(SchemaOnly ? " (schema only)" : string.Empty)} with pg_dump ({Format})";
        if (!ShouldProcess(request.Target.DumpPath, what))
        {
            return;
        }

        try
        {
            var backup = Run($"Backup-OmegaDatabase {Database.Name}", (progress, ct) => DatabaseBackup.CreateAsync(request, progress, ct));
            WriteVerbose($"Backed up {Database.Name} to {backup.Path} ({backup.SizeBytes} bytes, {backup.RowCounts.Count} tables) in {backup.Duration.TotalSeconds:0.00} s.");
            WriteObject(backup);
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Database);
        }
    }
}
