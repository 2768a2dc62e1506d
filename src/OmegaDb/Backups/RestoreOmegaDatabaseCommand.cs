using System.Management.Automation;
using OmegaDb.Backups;

namespace OmegaDb.Commands;

/// <summary>
/// Restore-OmegaDatabase: restores a verified backup into a database the caller names
/// explicitly. -Database is never bound from the pipeline: a backup's Database property is the
/// name of the database it came from, and piping a backup must not pick a restore target.
/// </summary>
[Cmdlet(VerbsData.Restore, "OmegaDatabase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
public sealed class RestoreOmegaDatabaseCommand : OmegaCmdlet
{
    public const string ProductionRefusedErrorId = "OmegaDb.RestoreRefusedOnProduction";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public OmegaBackup Backup { get; set; } = null!;

    [Parameter(Mandatory = true)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Database { get; set; } = null!;

    /// <summary>Drops each object before recreating it (pg_restore --clean --if-exists).</summary>
    [Parameter]
    public SwitchParameter Clean { get; set; }

    /// <summary>Allows restoring into a database marked Production.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    [ValidateRange(1, 128)]
    public int Jobs { get; set; } = 1;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PostgresBin { get; set; }

    protected override void ProcessRecord()
    {
        if (Database.IsProduction && !Force)
        {
            ThrowOmegaError(new OmegaException(ProductionRefusedErrorId, OmegaErrorCategory.PermissionDenied,
                $"{Database.Name} is marked Production, and a restore replaces what is in it. Restore into a sandbox (New-OmegaSandbox) to look at the backup, or add -Force if restoring production is really what you mean.", Database), Database);
            return;
        }

        var options = new RestoreOptions
        {
            Clean = Clean,
            Jobs = Jobs,
            PostgresBin = PostgresBin is null ? null : GetUnresolvedProviderPathFromPSPath(PostgresBin),
        };
        try
        {
            RestoreOptions.Validate(Backup.Format, options);
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Backup);
            return;
        }

        var action = $"Restore {System.IO.Path.GetFileName(Backup.Path)} (backup of {Backup.Database} from {Backup.CreatedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}){(Clean ? ", dropping existing objects first" : string.Empty)}";
        if (!ShouldProcess(Database.Name, action))
        {
            return;
        }

        try
        {
            Run($"Restore-OmegaDatabase {Database.Name}", async (progress, ct) =>
            {
                progress.Report($"checking the SHA-256 of {Backup.Path}");
                await BackupRestorer.VerifyChecksumAsync(Backup, ct).ConfigureAwait(false);
                await BackupRestorer.RestoreAsync(Backup, Database, options, progress, ct).ConfigureAwait(false);
            });
            WriteVerbose($"Restored {Backup.Path} into {Database.Name}.");
        }
        catch (OmegaException ex)
        {
            // Terminating: a runbook must not carry on as if the database held the backup.
            ThrowOmegaError(ex, Database);
        }
    }
}
