using System.Management.Automation;
using OmegaDb.Sandboxes;

namespace OmegaDb.Commands;

/// <summary>New-OmegaSandbox: a disposable PostgreSQL database to rehearse on, blank or copied from a source.</summary>
[Cmdlet(VerbsCommon.New, "OmegaSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = BlankSet)]
[OutputType(typeof(OmegaSandbox))]
public sealed class NewOmegaSandboxCommand : OmegaCmdlet
{
    private const string BlankSet = "Blank";
    private const string FromSet = "From";
    private const string SampleSet = "SampleRows";

    /// <summary>The database to copy: schema and rows, or only the schema with -SchemaOnly.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = FromSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SampleSet)]
    [Alias("Database")]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase? From { get; set; }

    [Parameter(ParameterSetName = FromSet)]
    public SwitchParameter SchemaOnly { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = SampleSet)]
    [ValidateRange(1, int.MaxValue)]
    public int SampleRows { get; set; }

    [Parameter]
    public SandboxEngineChoice Engine { get; set; } = SandboxEngineChoice.Auto;

    [Parameter]
    [OmegaDatabaseTransformation]
    public OmegaDatabase? Server { get; set; }

    [Parameter]
    [ValidatePattern("^[A-Za-z0-9_.-]+$")]
    public string? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PostgresBin { get; set; }

    protected override void ProcessRecord()
    {
        if (Server is not null && Engine is SandboxEngineChoice.Local or SandboxEngineChoice.Docker)
        {
            WriteOmegaError(new OmegaException("OmegaDb.ServerNeedsServerEngine", OmegaErrorCategory.InvalidArgument,
                $"-Server is used by the Server engine only; with -Engine {Engine} it would be ignored. Drop -Server, or use -Engine Server."), Server);
            return;
        }

        var request = new SandboxRequest
        {
            Engine = Engine,
            Name = Name,
            Server = Server,
            PostgresBin = PostgresBin,
            From = From,
            SchemaOnly = SchemaOnly,
            SampleRows = ParameterSetName == SampleSet ? SampleRows : null,
        };
        var kind = Server is not null || Engine == SandboxEngineChoice.Server
            ? $"a scratch database on {Server?.ToString() ?? "(no -Server given)"}"
            : Engine == SandboxEngineChoice.Auto ? "a PostgreSQL sandbox" : $"a {Engine} PostgreSQL sandbox";
        var what = From is null ? string.Empty
            : ParameterSetName == SampleSet ? $" with the schema and up to {SampleRows} rows per table of {From}"
            : SchemaOnly ? $" with the schema of {From}" : $" with the schema and rows of {From}";
        var target = kind + what;
        if (!ShouldProcess(target, "Create sandbox"))
        {
            return;
        }

        try
        {
            var started = DateTime.UtcNow;
            var sandbox = Run("New-OmegaSandbox", (progress, ct) => SandboxManager.CreateAsync(request, progress, ct));
            WriteVerbose($"Sandbox {sandbox.Name} ({sandbox.Engine}, PostgreSQL {sandbox.ServerVersion}) ready at {sandbox} in {(DateTime.UtcNow - started).TotalSeconds:0.00} s"
                + (sandbox.TemplateUsed is { } template ? $", cloned from {template}." : "."));
            WriteObject(sandbox);
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, From is null ? target : From);
        }
    }
}
