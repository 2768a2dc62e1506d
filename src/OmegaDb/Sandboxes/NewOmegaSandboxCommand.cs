using System.Management.Automation;
using OmegaDb.Sandboxes;

namespace OmegaDb.Commands;

/// <summary>New-OmegaSandbox: a disposable PostgreSQL database to rehearse on.</summary>
[Cmdlet(VerbsCommon.New, "OmegaSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(OmegaSandbox))]
public sealed class NewOmegaSandboxCommand : OmegaCmdlet
{
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

    protected override void EndProcessing()
    {
        if (Server is not null && Engine is SandboxEngineChoice.Local or SandboxEngineChoice.Docker)
        {
            WriteOmegaError(new OmegaException("OmegaDb.ServerNeedsServerEngine", OmegaErrorCategory.InvalidArgument,
                $"-Server is used by the Server engine only; with -Engine {Engine} it would be ignored. Drop -Server, or use -Engine Server."), Server);
            return;
        }

        var request = new SandboxRequest { Engine = Engine, Name = Name, Server = Server, PostgresBin = PostgresBin };
        var target = Server is not null || Engine == SandboxEngineChoice.Server
            ? $"a scratch database on {Server?.ToString() ?? "(no -Server given)"}"
            : Engine == SandboxEngineChoice.Auto ? "a PostgreSQL sandbox" : $"a {Engine} PostgreSQL sandbox";
        if (!ShouldProcess(target, "Create sandbox"))
        {
            return;
        }

        try
        {
            var started = DateTime.UtcNow;
            var sandbox = Run("New-OmegaSandbox", (progress, ct) => SandboxManager.CreateAsync(request, progress, ct));
            WriteVerbose($"Sandbox {sandbox.Name} ({sandbox.Engine}, PostgreSQL {sandbox.ServerVersion}) ready at {sandbox} in {(DateTime.UtcNow - started).TotalSeconds:0.00} s.");
            WriteObject(sandbox);
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, target);
        }
    }
}
