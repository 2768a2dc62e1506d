using System.Management.Automation;
using OmegaDb.Schema;

namespace OmegaDb.Commands;

/// <summary>Import-OmegaSchema: reads a file written by Export-OmegaSchema back into an OmegaSchema.</summary>
[Cmdlet(VerbsData.Import, "OmegaSchema")]
[OutputType(typeof(OmegaSchema))]
public sealed class ImportOmegaSchemaCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var item in Path)
        {
            string path;
            try
            {
                path = GetUnresolvedProviderPathFromPSPath(item);
                if (!File.Exists(path))
                {
                    WriteOmegaError(new OmegaException("OmegaDb.SchemaFileNotFound", OmegaErrorCategory.ObjectNotFound,
                        $"The schema file '{path}' does not exist. Write one with Export-OmegaSchema.", item), item);
                    continue;
                }

                var json = File.ReadAllText(path);
                var schema = SchemaJson.Deserialize(json, path);
                var stored = SchemaJson.StoredFingerprint(json);
                if (stored is not null && stored != schema.Fingerprint)
                {
                    WriteWarning($"{path} says its fingerprint is {stored}, but its content hashes to {schema.Fingerprint}: the file was edited after it was exported. The computed fingerprint is used.");
                }

                WriteObject(schema);
            }
            catch (OmegaException ex)
            {
                WriteOmegaError(ex, item);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException)
            {
                WriteOmegaError(ErrorTranslation.ToOmegaException(ex, item), item);
            }
        }
    }
}
