using System.Management.Automation;
using OmegaDb.Analysis;

namespace OmegaDb.Commands;

/// <summary>Get-OmegaIndexUsage: scans and sizes of each index from the statistics views, unused ones flagged.</summary>
[Cmdlet(VerbsCommon.Get, "OmegaIndexUsage")]
[OutputType(typeof(OmegaIndexUsage))]
public sealed class GetOmegaIndexUsageCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Database { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Table { get; set; } = [];

    /// <summary>Only the indexes flagged Unused.</summary>
    [Parameter]
    public SwitchParameter Unused { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            var usages = Run($"Get-OmegaIndexUsage {Database.Name}", (_, ct) => IndexUsageReader.ReadAsync(Database, Table, ct));
            foreach (var usage in usages)
            {
                if (!Unused || usage.Unused)
                {
                    WriteObject(usage);
                }
            }
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Database);
        }
    }
}
