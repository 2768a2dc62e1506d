namespace OmegaDb;

/// <summary>An installed extension; the objects it owns are not listed elsewhere in the schema.</summary>
public sealed class OmegaExtension
{
    public string Name { get; init; } = string.Empty;

    public string Version { get; init; } = string.Empty;

    public string Schema { get; init; } = string.Empty;

    public override string ToString() => $"{Name} {Version}";
}
