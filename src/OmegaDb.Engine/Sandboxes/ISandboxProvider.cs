namespace OmegaDb.Sandboxes;

/// <summary>One way of making a disposable PostgreSQL database.</summary>
internal interface ISandboxProvider
{
    SandboxEngine Engine { get; }

    /// <param name="marker">Already written; the provider rewrites it with what it is about to create before creating it.</param>
    Task<OmegaSandbox> CreateAsync(SandboxRequest request, SandboxMarker marker, IProgress<string> progress, CancellationToken cancellationToken);

    /// <summary>Stops and deletes everything the sandbox holds. Safe to call twice.</summary>
    /// <param name="credentials">The live sandbox when this process owns it, else whatever the caller could supply.</param>
    Task RemoveAsync(SandboxMarker marker, OmegaDatabase? credentials, IProgress<string> progress, CancellationToken cancellationToken);

    /// <summary>Whether the sandbox's server still runs, judged without credentials.</summary>
    bool IsRunning(SandboxMarker marker);
}
