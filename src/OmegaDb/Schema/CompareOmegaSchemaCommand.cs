using System.Management.Automation;
using OmegaDb.Schema;

namespace OmegaDb.Commands;

/// <summary>Compare-OmegaSchema: one OmegaSchemaChange per difference between two snapshots; nothing when they are equal.</summary>
[Cmdlet(VerbsData.Compare, "OmegaSchema")]
[OutputType(typeof(OmegaSchemaChange))]
public sealed class CompareOmegaSchemaCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public OmegaSchema Reference { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public OmegaSchema Difference { get; set; } = null!;

    protected override void ProcessRecord()
    {
        if (Reference.Fingerprint == Difference.Fingerprint)
        {
            WriteVerbose($"Both schemas have fingerprint {Reference.Fingerprint}: no differences.");
        }

        foreach (var change in SchemaComparer.Compare(Reference, Difference))
        {
            WriteObject(change);
        }
    }
}
