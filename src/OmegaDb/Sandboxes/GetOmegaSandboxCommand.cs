using System.Management.Automation;
using OmegaDb.Sandboxes;

namespace OmegaDb.Commands;

/// <summary>Get-OmegaSandbox: this machine's sandboxes, including those left by crashed sessions.</summary>
[Cmdlet(VerbsCommon.Get, "OmegaSandbox")]
[OutputType(typeof(OmegaSandbox))]
public sealed class GetOmegaSandboxCommand : OmegaCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    public SandboxStatus[]? Status { get; set; }

    protected override void EndProcessing()
    {
        var names = Name ?? ["*"];
        var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        var matched = new bool[names.Length];
        IReadOnlyList<OmegaSandbox> all;
        try
        {
            all = SandboxManager.List();
        }
        catch (Exception ex)
        {
            ThrowOmegaError(ErrorTranslation.ToOmegaException(ex, SandboxManager.Root));
            return;
        }

        foreach (var sandbox in all)
        {
            var index = Array.FindIndex(patterns, p => p.IsMatch(sandbox.Name) || p.IsMatch(sandbox.Id));
            if (index < 0 || (Status is { Length: > 0 } && !Status.Contains(sandbox.Status)))
            {
                continue;
            }

            matched[index] = true;
            WriteObject(sandbox);
        }

        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            if (!WildcardPattern.ContainsWildcardCharacters(name) && !matched[i])
            {
                WriteOmegaError(new OmegaException("OmegaDb.SandboxNotFound", OmegaErrorCategory.ObjectNotFound,
                    $"No sandbox named '{name}' was found under {SandboxManager.Root}. Run Get-OmegaSandbox to list them."), name);
            }
        }
    }
}
