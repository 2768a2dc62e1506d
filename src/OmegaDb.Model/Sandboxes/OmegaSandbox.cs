using OmegaDb.Connections;
using OmegaDb.Sandboxes;

namespace OmegaDb;

public enum SandboxEngine
{
    Local,
    Docker,
    Server,
}

public enum SandboxStatus
{
    /// <summary>Its owning PowerShell process is alive and the server answers.</summary>
    Running,

    /// <summary>The process that made it has died; remove it with Remove-OmegaSandbox.</summary>
    Orphaned,

    /// <summary>Its server is not running (for example after a reboot); only files remain.</summary>
    Stopped,

    /// <summary>Removed.</summary>
    Removed,
}

/// <summary>
/// A disposable database: a parallel copy to rehearse on. It is an <see cref="OmegaDatabase"/>,
/// so it pipes into every cmdlet that takes one.
/// </summary>
public sealed class OmegaSandbox : OmegaDatabase
{
    internal OmegaSandbox(ConnectionSettings settings, SandboxMarker marker)
        : base(settings, marker.Name, "Sandbox")
    {
        Marker = marker;
        ServerVersion = marker.ServerVersion;
    }

    public string Id => Marker.Id;

    public SandboxEngine Engine => Marker.Engine;

    /// <summary>The database it was made from, as a redacted URI; empty for a blank sandbox.</summary>
    public string? Source => Marker.Source;

    public DateTimeOffset CreatedAt => Marker.CreatedAt;

    /// <summary>
    /// For a sandbox made with -From: the cached template (or, on the same server, the source
    /// database) it was cloned from; empty when the source was dumped and restored.
    /// </summary>
    public string? TemplateUsed => Marker.Template;

    /// <summary>The cluster's data directory (Local engine).</summary>
    public string? DataDirectory => Marker.DataDirectory;

    /// <summary>The container (Docker engine).</summary>
    public string? ContainerId => Marker.ContainerId;

    public int OwnerProcessId => Marker.OwnerProcessId;

    public SandboxStatus Status { get; internal set; } = SandboxStatus.Running;

    /// <summary>True when this process made it and so holds its password.</summary>
    public bool IsOwned { get; internal set; }

    internal SandboxMarker Marker { get; }
}
