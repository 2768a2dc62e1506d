using System.Management.Automation;
using OmegaDb.Schema;

namespace OmegaDb.Commands;

/// <summary>Get-OmegaSchema: a snapshot of a database's schema, from a fixed number of catalog queries.</summary>
[Cmdlet(VerbsCommon.Get, "OmegaSchema")]
[OutputType(typeof(OmegaSchema))]
public sealed class GetOmegaSchemaCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Database { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Schema { get; set; } = [];

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Table { get; set; } = [];

    protected override void ProcessRecord()
    {
        var options = new SchemaReadOptions { Schemas = Schema, Tables = Table };
        try
        {
            var schema = Run($"Get-OmegaSchema {Database.Name}", (progress, ct) =>
            {
                progress.Report($"Reading the catalogs of {Database.Name}");
                return SchemaReader.ReadAsync(Database, options, ct);
            });
            WriteObject(schema);
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Database);
        }
    }
}
