using System.Collections.Concurrent;
using System.Security.Cryptography;
using OmegaDb.Connections;
using Testcontainers.PostgreSql;

namespace OmegaDb.Sandboxes;

/// <summary>
/// A PostgreSQL container through Testcontainers, for machines without PostgreSQL's own
/// programs. The image's major version follows the request (the source's, once sandboxes
/// are copied from a database), else 16.
/// </summary>
internal sealed class DockerSandboxProvider : ISandboxProvider
{
    public const string UnavailableErrorId = "OmegaDb.DockerUnavailable";
    private const string SuperUser = "omega";
    private static readonly ConcurrentDictionary<string, PostgreSqlContainer> Containers = new(StringComparer.Ordinal);

    public SandboxEngine Engine => SandboxEngine.Docker;

    public static Task<DockerEngineStatus> ProbeAsync(CancellationToken cancellationToken) => DockerEngineProbe.ProbeAsync(cancellationToken);

    public async Task<OmegaSandbox> CreateAsync(SandboxRequest request, SandboxMarker marker, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var status = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (!status.Available)
        {
            throw new OmegaException(UnavailableErrorId, OmegaErrorCategory.ResourceUnavailable,
                $"The Docker engine cannot be used: {status.Reason}. Start a Docker engine (API {DockerEngineProbe.MinimumApiVersion} or later), or use -Engine Local.");
        }

        var major = request.MajorVersion ?? 16;
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        SecretScrubber.Remember(password);
        var image = $"postgres:{major}-alpine";
        progress.Report($"starting container {image}");
        var container = new PostgreSqlBuilder(image)
            .WithUsername(SuperUser)
            .WithPassword(password)
            .WithDatabase("postgres")
            .WithLabel("omegadb.sandbox", marker.Id)
            .WithCommand("-c", "fsync=off", "-c", "full_page_writes=off", "-c", "synchronous_commit=off")
            .Build();
        try
        {
            await container.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await container.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        Containers[marker.Id] = container;
        var port = container.GetMappedPublicPort(PostgreSqlBuilder.PostgreSqlPort);
        marker = marker with
        {
            Host = container.Hostname,
            Port = port,
            User = SuperUser,
            Database = "postgres",
            ContainerId = container.Id,
            ServerVersion = major.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        marker.Write();

        var settings = new ConnectionSettings
        {
            Hosts = [new HostEndpoint(container.Hostname, port)],
            Database = "postgres",
            User = SuperUser,
            Password = password,
        };
        var sandbox = new OmegaSandbox(settings, marker) { IsOwned = true };
        await DatabaseConnector.CheckAsync(sandbox, cancellationToken).ConfigureAwait(false);
        return sandbox;
    }

    public async Task RemoveAsync(SandboxMarker marker, OmegaDatabase? credentials, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (Containers.TryRemove(marker.Id, out var container))
        {
            progress.Report($"removing container {container.Id}");
            await container.DisposeAsync().ConfigureAwait(false);
        }
        else if (marker.ContainerId is { } containerId)
        {
            progress.Report($"removing container {containerId}");
            await DockerEngineProbe.RemoveContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
        }

        LocalSandboxProvider.DeleteDirectory(marker.Directory);
    }

    public bool IsRunning(SandboxMarker marker) => marker.ContainerId is not null;
}
