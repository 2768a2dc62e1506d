using System.Management.Automation;
using System.Text;
using OmegaDb.Schema;

namespace OmegaDb.Commands;

/// <summary>Export-OmegaSchema: writes a snapshot as sorted, deterministic JSON meant to be committed.</summary>
[Cmdlet(VerbsData.Export, "OmegaSchema", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportOmegaSchemaCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The schema; Schema binds the property of a piped migration result.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Schema")]
    [ValidateNotNull]
    public OmegaSchema InputObject { get; set; } = null!;

    /// <summary>Refuses to replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private bool _written;

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (_written)
        {
            WriteOmegaError(new OmegaException("OmegaDb.OneSchemaPerFile", OmegaErrorCategory.InvalidArgument,
                $"Export-OmegaSchema writes one schema per file and already wrote {path}. Export each schema to its own path.", path), InputObject);
            return;
        }

        if (NoClobber && File.Exists(path))
        {
            WriteOmegaError(new OmegaException("OmegaDb.FileExists", OmegaErrorCategory.ResourceExists,
                $"{path} exists and -NoClobber was given. Choose another path, or leave out -NoClobber to replace it.", path), path);
            return;
        }

        if (!ShouldProcess(path, $"Export schema of {InputObject.DatabaseName ?? "?"} ({InputObject.Tables.Count} tables)"))
        {
            return;
        }

        try
        {
            WriteAtomically(path, SchemaJson.Serialize(InputObject));
            _written = true;
            if (PassThru)
            {
                WriteObject(new FileInfo(path));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteOmegaError(ErrorTranslation.ToOmegaException(ex, path), path);
        }
    }

    /// <summary>A temporary file renamed over the target, so a failure never leaves half a file behind.</summary>
    private static void WriteAtomically(string path, string content)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():n}.tmp");
        try
        {
            File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
