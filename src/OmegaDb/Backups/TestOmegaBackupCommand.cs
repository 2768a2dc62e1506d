using System.Management.Automation;
using OmegaDb.Backups;
using OmegaDb.Sandboxes;

namespace OmegaDb.Commands;

/// <summary>
/// Test-OmegaBackup: checksum, a real restore into a sandbox, then the schema fingerprint and
/// row counts against the manifest; one result per check, or with -Quiet one boolean per backup.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "OmegaBackup")]
[OutputType(typeof(OmegaBackupTestResult), typeof(bool))]
public sealed class TestOmegaBackupCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public OmegaBackup Backup { get; set; } = null!;

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Where the test restore runs; Local (a throwaway cluster) unless told otherwise.</summary>
    [Parameter]
    public SandboxEngineChoice Engine { get; set; } = SandboxEngineChoice.Local;

    /// <summary>Server engine: the server for the scratch database.</summary>
    [Parameter]
    [OmegaDatabaseTransformation]
    public OmegaDatabase? Server { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PostgresBin { get; set; }

    protected override void ProcessRecord()
    {
        var engine = Server is not null && !MyInvocation.BoundParameters.ContainsKey(nameof(Engine)) ? SandboxEngineChoice.Server : Engine;
        if (Server is not null && engine != SandboxEngineChoice.Server)
        {
            ThrowOmegaError(new OmegaException("OmegaDb.ServerNeedsServerEngine", OmegaErrorCategory.InvalidArgument,
                $"-Server is used by the Server engine only; with -Engine {engine} it would be ignored. Drop -Server, or use -Engine Server."), Server);
            return;
        }

        var bin = PostgresBin is null ? null : GetUnresolvedProviderPathFromPSPath(PostgresBin);
        var request = new SandboxRequest { Engine = engine, Server = Server, PostgresBin = bin, Name = "backup-test" };
        IReadOnlyList<OmegaBackupTestResult> results;
        try
        {
            results = Run($"Test-OmegaBackup {System.IO.Path.GetFileName(Backup.Path)}", (progress, ct) => BackupTester.TestAsync(Backup, request, bin, progress, ct));
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Backup);
            if (Quiet)
            {
                WriteObject(false);
            }

            return;
        }

        foreach (var failed in results.Where(r => !r.Passed && r.Message is not null && !r.Message.StartsWith("Not run", StringComparison.Ordinal)))
        {
            WriteVerbose($"{Backup.Path}: {failed.Check} failed: {failed.Message}");
        }

        if (Quiet)
        {
            WriteObject(results.All(r => r.Passed));
        }
        else
        {
            WriteObject(results, enumerateCollection: true);
        }
    }
}
