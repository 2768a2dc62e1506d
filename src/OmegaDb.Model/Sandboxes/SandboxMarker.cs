using System.Text.Json;
using System.Text.Json.Serialization;

namespace OmegaDb.Sandboxes;

/// <summary>
/// The small file each sandbox leaves in its directory so that a later session can find it
/// after the process that made it died. It never holds a password.
/// </summary>
internal sealed record SandboxMarker
{
    public const string FileName = "omega-sandbox.json";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required SandboxEngine Engine { get; init; }

    /// <summary>The sandbox's own directory, holding this marker (and the cluster for Local).</summary>
    public required string Directory { get; init; }

    public required int OwnerProcessId { get; init; }

    /// <summary>Start time of the owner, to tell a live owner from a reused process id.</summary>
    public required DateTimeOffset OwnerStartedAt { get; init; }

    /// <summary>The owner's start time in the kernel's clock ticks (Linux): immune to clock steps.</summary>
    public string? OwnerStartToken { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    // Connection details are filled in by the engine before it starts anything, so that a
    // session killed half-way leaves a marker that says what to clean up.
    public string Host { get; init; } = string.Empty;

    public int Port { get; init; }

    public string User { get; init; } = string.Empty;

    public string Database { get; init; } = string.Empty;

    public string? ServerVersion { get; init; }

    public string? Source { get; init; }

    /// <summary>What the sandbox was cloned from instead of restoring a dump: a cached template or the source database itself.</summary>
    public string? Template { get; init; }

    public string? DataDirectory { get; init; }

    public string? BinDirectory { get; init; }

    /// <summary>The account the server runs as when it was started by root.</summary>
    public string? RunAsUser { get; init; }

    public string? ContainerId { get; init; }

    /// <summary>Server engine: the database on the host server used to create and drop the sandbox.</summary>
    public string? ServerDatabase { get; init; }

    public string MarkerPath => Path.Combine(Directory, FileName);

    public void Write()
    {
        var temp = MarkerPath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Options));
        File.Move(temp, MarkerPath, overwrite: true);
    }

    public static SandboxMarker? TryRead(string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SandboxMarker>(File.ReadAllText(path), Options) : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
