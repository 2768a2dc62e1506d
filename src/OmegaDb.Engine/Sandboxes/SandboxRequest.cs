namespace OmegaDb.Sandboxes;

public enum SandboxEngineChoice
{
    Auto,
    Local,
    Docker,
    Server,
}

/// <summary>What the user asked New-OmegaSandbox for.</summary>
public sealed record SandboxRequest
{
    public SandboxEngineChoice Engine { get; init; } = SandboxEngineChoice.Auto;

    public string? Name { get; init; }

    /// <summary>Local engine: the directory holding initdb and pg_ctl.</summary>
    public string? PostgresBin { get; init; }

    /// <summary>Server engine: the server to create the scratch database on.</summary>
    public OmegaDatabase? Server { get; init; }

    /// <summary>Docker engine: the major version for the image; defaults to the newest local one or 16.</summary>
    public int? MajorVersion { get; init; }
}
