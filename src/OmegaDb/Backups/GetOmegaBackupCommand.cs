using System.Management.Automation;
using OmegaDb.Backups;

namespace OmegaDb.Commands;

/// <summary>Get-OmegaBackup: reads backup manifests; a directory gives all of its backups, newest first.</summary>
[Cmdlet(VerbsCommon.Get, "OmegaBackup")]
[OutputType(typeof(OmegaBackup))]
public sealed class GetOmegaBackupCommand : OmegaCmdlet
{
    /// <summary>Manifests, dumps (their manifest beside them) or directories of backups; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var item in Path)
        {
            List<string> resolved;
            try
            {
                resolved = [.. GetResolvedProviderPathFromPSPath(item, out _)];
            }
            catch (ItemNotFoundException)
            {
                // A dump named without its manifest: look for the manifest beside it.
                var unresolved = GetUnresolvedProviderPathFromPSPath(item);
                resolved = [unresolved];
            }

            foreach (var path in resolved)
            {
                if (Directory.Exists(path) && !File.Exists(System.IO.Path.Combine(path, "toc.dat")))
                {
                    ReadDirectory(path);
                }
                else
                {
                    ReadOne(BackupManifest.ManifestFor(path));
                }
            }
        }
    }

    private void ReadDirectory(string directory)
    {
        var backups = new List<OmegaBackup>();
        foreach (var manifest in Directory.EnumerateFiles(directory, "*" + BackupTarget.ManifestSuffix).Order(StringComparer.Ordinal))
        {
            try
            {
                backups.Add(BackupManifest.Read(manifest));
            }
            catch (OmegaException ex)
            {
                WriteOmegaError(ex, manifest);
            }
        }

        WriteObject(backups.OrderByDescending(b => b.CreatedAt), enumerateCollection: true);
    }

    private void ReadOne(string manifest)
    {
        try
        {
            WriteObject(BackupManifest.Read(manifest));
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, manifest);
        }
    }
}
