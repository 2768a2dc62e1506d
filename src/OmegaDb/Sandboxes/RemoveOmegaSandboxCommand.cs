using System.Management.Automation;
using OmegaDb.Sandboxes;

namespace OmegaDb.Commands;

/// <summary>Remove-OmegaSandbox: stops the server and deletes its directory, container or scratch database.</summary>
[Cmdlet(VerbsCommon.Remove, "OmegaSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = SandboxSet)]
[OutputType(typeof(OmegaSandbox))]
public sealed class RemoveOmegaSandboxCommand : OmegaCmdlet
{
    private const string SandboxSet = "Sandbox";
    private const string NameSet = "Name";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SandboxSet)]
    [ValidateNotNull]
    public OmegaSandbox[] Sandbox { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = NameSet)]
    [SupportsWildcards]
    public string[] Name { get; set; } = [];

    /// <summary>Removes a sandbox even when another live session owns it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>For a Server-engine sandbox made by another session: a connection to its server.</summary>
    [Parameter]
    [OmegaDatabaseTransformation]
    public OmegaDatabase? Server { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var targets = ParameterSetName == NameSet ? ByName() : Sandbox;
        foreach (var sandbox in targets)
        {
            if (sandbox.Status == SandboxStatus.Removed)
            {
                WriteVerbose($"Sandbox {sandbox.Name} was already removed.");
                continue;
            }

            var description = sandbox.Engine switch
            {
                SandboxEngine.Local => $"{sandbox.Name} (Local server on port {sandbox.Port}, {sandbox.DataDirectory})",
                SandboxEngine.Docker => $"{sandbox.Name} (container {sandbox.ContainerId})",
                _ => $"{sandbox.Name} (database {sandbox.Database} on {sandbox.Host}:{sandbox.Port})",
            };
            if (!ShouldProcess(description, "Remove sandbox"))
            {
                continue;
            }

            try
            {
                Run("Remove-OmegaSandbox", (progress, ct) => SandboxManager.RemoveAsync(sandbox, Force, Server, progress, ct));
                if (PassThru)
                {
                    WriteObject(sandbox);
                }
            }
            catch (OmegaException ex)
            {
                WriteOmegaError(ex, sandbox);
            }
        }
    }

    private IEnumerable<OmegaSandbox> ByName()
    {
        var all = SandboxManager.List();
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(s => pattern.IsMatch(s.Name) || pattern.IsMatch(s.Id)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteOmegaError(new OmegaException("OmegaDb.SandboxNotFound", OmegaErrorCategory.ObjectNotFound,
                    $"No sandbox named '{name}' was found. Run Get-OmegaSandbox to list them."), name);
            }

            foreach (var match in matches)
            {
                yield return match;
            }
        }
    }
}
