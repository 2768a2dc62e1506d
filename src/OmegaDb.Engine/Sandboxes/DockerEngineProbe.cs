using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace OmegaDb.Sandboxes;

/// <summary>Whether a Docker engine answers, and whether it is new enough for Testcontainers.</summary>
public sealed record DockerEngineStatus(bool Available, string Reason, string? ApiVersion);

/// <summary>
/// Talks to the Docker engine's HTTP API directly, for the two things Testcontainers does not
/// do for us: a quick yes/no with a reason before choosing an engine, and removing the
/// container of a sandbox whose owning process died.
/// </summary>
internal static class DockerEngineProbe
{
    /// <summary>The oldest Docker API that Testcontainers 4 speaks.</summary>
    public static readonly Version MinimumApiVersion = new(1, 44);

    public static async Task<DockerEngineStatus> ProbeAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient(out var endpoint);
        if (client is null)
        {
            return new DockerEngineStatus(false, endpoint, null);
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            var version = await client.GetFromJsonAsync<VersionResponse>("/version", timeout.Token).ConfigureAwait(false);
            if (version?.ApiVersion is not { } api || !Version.TryParse(api, out var parsed))
            {
                return new DockerEngineStatus(false, $"the Docker engine at {endpoint} did not report an API version", null);
            }

            return parsed < MinimumApiVersion
                ? new DockerEngineStatus(false, $"the Docker engine at {endpoint} speaks API {api}, older than the {MinimumApiVersion} that Testcontainers needs; upgrade Docker", api)
                : new DockerEngineStatus(true, $"Docker API {api} at {endpoint}", api);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return new DockerEngineStatus(false, $"no Docker engine answered at {endpoint} ({ex.Message})", null);
        }
    }

    public static async Task RemoveContainerAsync(string containerId, CancellationToken cancellationToken)
    {
        using var client = CreateClient(out var endpoint) ?? throw new OmegaException("OmegaDb.DockerUnavailable", OmegaErrorCategory.ResourceUnavailable,
            $"The sandbox's container {containerId} cannot be removed: {endpoint}.", containerId);
        using var response = await client.DeleteAsync($"/containers/{Uri.EscapeDataString(containerId)}?force=true&v=true", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != 404)
        {
            throw new OmegaException("OmegaDb.DockerRemoveFailed", OmegaErrorCategory.ResourceUnavailable,
                $"Docker refused to remove container {containerId}: HTTP {(int)response.StatusCode}.", containerId);
        }
    }

    private static HttpClient? CreateClient(out string endpoint)
    {
        var host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host) || host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var socket = string.IsNullOrEmpty(host) ? "/var/run/docker.sock" : host["unix://".Length..];
            endpoint = "unix://" + socket;
            if (!File.Exists(socket))
            {
                endpoint = $"no Docker socket at {socket}" + (string.IsNullOrEmpty(host) ? " and DOCKER_HOST is not set" : string.Empty);
                return null;
            }

            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, token) =>
                {
                    var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), token).ConfigureAwait(false);
                    return new NetworkStream(s, ownsSocket: true);
                },
            };
            return new HttpClient(handler) { BaseAddress = new Uri("http://docker") };
        }

        if (host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            endpoint = host;
            return new HttpClient { BaseAddress = new Uri("http://" + host["tcp://".Length..]) };
        }

        endpoint = string.Create(CultureInfo.InvariantCulture, $"DOCKER_HOST '{host}' is neither unix:// nor tcp://");
        return null;
    }

    private sealed record VersionResponse([property: JsonPropertyName("ApiVersion")] string? ApiVersion);
}
