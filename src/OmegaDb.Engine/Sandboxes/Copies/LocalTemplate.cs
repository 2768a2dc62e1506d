using System.Text.Json;

namespace OmegaDb.Sandboxes;

/// <summary>
/// A stopped cluster holding a source's restored schema, kept under
/// <c>&lt;sandbox root&gt;/templates/&lt;source key&gt;-&lt;fingerprint key&gt;/</c>: a data directory
/// and this manifest. It is not a sandbox (no marker), so Get-OmegaSandbox and
/// Remove-OmegaSandbox never see it.
/// </summary>
internal sealed record LocalTemplate
{
    public const string ManifestFileName = "omega-template.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The source as a redacted URI.</summary>
    public required string Source { get; init; }

    public required string SourceKey { get; init; }

    public required string Fingerprint { get; init; }

    /// <summary>The server programs that made it: a cluster only starts under its own major version.</summary>
    public required string BinDirectory { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string Directory { get; init; } = string.Empty;

    [System.Text.Json.Serialization.JsonIgnore]
    public string DataDirectory => Path.Combine(Directory, "data");

    public void Write(string directory) =>
        File.WriteAllText(Path.Combine(directory, ManifestFileName), JsonSerializer.Serialize(this, Options));

    public static LocalTemplate? TryRead(string directory)
    {
        try
        {
            var path = Path.Combine(directory, ManifestFileName);
            return File.Exists(path) && System.IO.Directory.Exists(Path.Combine(directory, "data"))
                ? JsonSerializer.Deserialize<LocalTemplate>(File.ReadAllText(path), Options) is { } template ? template with { Directory = directory } : null
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
