using System.Collections.Concurrent;
using System.Security.Cryptography;
using OmegaDb.Connections;
using OmegaDb.Processes;

namespace OmegaDb.Sandboxes;

/// <summary>
/// Makes, finds and removes sandboxes. Every sandbox has a directory under <see cref="Root"/>
/// with a marker file; that directory is how a later session finds a sandbox whose owner
/// died. Sandboxes this process made are removed when it exits or the module is removed.
/// </summary>
public static class SandboxManager
{
    public const string NoEngineErrorId = "OmegaDb.NoSandboxEngine";
    public const string OwnedElsewhereErrorId = "OmegaDb.SandboxOwnedByAnotherSession";

    private static readonly ConcurrentDictionary<string, OmegaSandbox> Owned = new(StringComparer.Ordinal);
    private static int _exitHookInstalled;

    /// <summary>
    /// Where sandboxes live: <c>OMEGADB_SANDBOX_ROOT</c>, else a folder of the current user's
    /// under the temp directory (two accounts never share, or trip over, one root).
    /// </summary>
    public static string Root =>
        Environment.GetEnvironmentVariable("OMEGADB_SANDBOX_ROOT") is { Length: > 0 } root
            ? root
            : Path.Combine(Path.GetTempPath(), $"omegadb-{Environment.UserName}", "sandboxes");

    public static async Task<OmegaSandbox> CreateAsync(SandboxRequest request, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var provider = await ChooseAsync(request, cancellationToken).ConfigureAwait(false);
        InstallExitHook();

        var marker = NewMarker(request.Name, provider.Engine, request.From?.ToString());
        var directory = marker.Directory;
        SourceCopy? copy = null;
        try
        {
            // Reads the source and may start pg_dump, which then runs while the provider works.
            copy = request.From is null ? null : await SourceCopy.BeginAsync(request, provider.Engine, directory, progress, cancellationToken).ConfigureAwait(false);
            var sandbox = await provider.CreateAsync(copy?.Request ?? request, marker, progress, cancellationToken).ConfigureAwait(false);
            if (copy is not null)
            {
                await copy.FinishAsync(sandbox, progress, cancellationToken).ConfigureAwait(false);
                await copy.DisposeAsync().ConfigureAwait(false);
                copy = null;
            }

            Owned[sandbox.Id] = sandbox;
            return sandbox;
        }
        catch
        {
            if (copy is not null)
            {
                await copy.DisposeAsync().ConfigureAwait(false);
            }

            // Nothing half-made stays behind: stop whatever started, delete the directory.
            try
            {
                await provider.RemoveAsync(SandboxMarker.TryRead(directory) ?? marker, request.Server, new Progress<string>(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception cleanupError)
            {
                // The original failure is the one to report; the marker, if any, lets a later
                // Remove-OmegaSandbox finish the job.
                progress.Report($"cleanup after the failure did not finish: {SecretScrubber.Scrub(cleanupError.Message)}");
            }

            throw;
        }
    }

    /// <summary>
    /// A new sandbox directory under <see cref="Root"/> with its marker. The marker comes first,
    /// so that a session killed at any later point leaves something Get-OmegaSandbox finds and
    /// Remove-OmegaSandbox cleans up.
    /// </summary>
    internal static SandboxMarker NewMarker(string? name, SandboxEngine engine, string? source)
    {
        var id = "omega-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();
        var directory = Path.Combine(EnsureRoot(), id);
        Directory.CreateDirectory(directory);
        var marker = new SandboxMarker
        {
            Id = id,
            Name = name ?? id,
            Engine = engine,
            Directory = directory,
            OwnerProcessId = Environment.ProcessId,
            OwnerStartedAt = SandboxOwner.CurrentStartTime,
            OwnerStartToken = SandboxOwner.CurrentStartToken,
            CreatedAt = DateTimeOffset.UtcNow,
            Source = source,
        };
        marker.Write();
        return marker;
    }

    /// <summary>Every sandbox on this machine, ours and those left by other sessions.</summary>
    public static IReadOnlyList<OmegaSandbox> List()
    {
        var root = Root;
        if (!Directory.Exists(root))
        {
            return [];
        }

        var result = new List<OmegaSandbox>();
        foreach (var directory in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var marker = SandboxMarker.TryRead(directory);
            if (marker is null)
            {
                continue;
            }

            if (Owned.TryGetValue(marker.Id, out var owned))
            {
                result.Add(owned);
                continue;
            }

            var sandbox = FromMarker(marker);
            result.Add(sandbox);
        }

        return result;
    }

    public static async Task RemoveAsync(OmegaSandbox sandbox, bool force, OmegaDatabase? server, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var marker = SandboxMarker.TryRead(sandbox.Marker.Directory) ?? sandbox.Marker;
        var owned = Owned.ContainsKey(marker.Id);
        if (!owned && !force && marker.OwnerProcessId != Environment.ProcessId && SandboxOwner.IsAlive(marker.OwnerProcessId, marker.OwnerStartedAt, marker.OwnerStartToken))
        {
            throw new OmegaException(OwnedElsewhereErrorId, OmegaErrorCategory.ResourceUnavailable,
                $"Sandbox '{marker.Name}' belongs to a running session (process {marker.OwnerProcessId}). Remove it from that session, or use -Force to remove it anyway.", sandbox);
        }

        var provider = Provider(marker.Engine);
        var credentials = owned || sandbox.Settings.Password is not null ? sandbox : server;
        await provider.RemoveAsync(marker, credentials, progress, cancellationToken).ConfigureAwait(false);
        Owned.TryRemove(marker.Id, out _);
        sandbox.Status = SandboxStatus.Removed;
        if (marker.Engine == SandboxEngine.Local)
        {
            // A production stand-in or any other sandbox used as a -From source: its cluster is
            // gone, so the templates made from it would only take space.
            LocalTemplateStore.DeleteMadeFrom(SourceIdentity.Of(sandbox));
        }
    }

    /// <summary>Removes every sandbox this process made; for process exit and module removal.</summary>
    public static void RemoveOwned()
    {
        foreach (var sandbox in Owned.Values.ToList())
        {
            try
            {
                RemoveAsync(sandbox, force: true, server: null, new Progress<string>(), CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // Best effort at exit, and one failure must not spare the others: a later
                // session's Get-OmegaSandbox still finds whatever is left.
            }
        }
    }

    internal static OmegaSandbox FromMarker(SandboxMarker marker)
    {
        var settings = new ConnectionSettings
        {
            Hosts = [new HostEndpoint(marker.Host, marker.Port)],
            Database = marker.Database,
            User = marker.User,
        };
        var sandbox = new OmegaSandbox(settings, marker);
        var ownerAlive = SandboxOwner.IsAlive(marker.OwnerProcessId, marker.OwnerStartedAt, marker.OwnerStartToken);
        sandbox.Status = !ownerAlive ? SandboxStatus.Orphaned
            : Provider(marker.Engine).IsRunning(marker) ? SandboxStatus.Running : SandboxStatus.Stopped;
        return sandbox;
    }

    private static async Task<ISandboxProvider> ChooseAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        switch (request.Engine)
        {
            case SandboxEngineChoice.Local:
                return new LocalSandboxProvider();
            case SandboxEngineChoice.Server:
                return new ServerSandboxProvider();
            case SandboxEngineChoice.Docker:
                return new DockerSandboxProvider();
        }

        if (request.Server is not null)
        {
            return new ServerSandboxProvider();
        }

        if (PostgresInstallation.Exists(request.PostgresBin))
        {
            return new LocalSandboxProvider();
        }

        var docker = await DockerSandboxProvider.ProbeAsync(cancellationToken).ConfigureAwait(false);
        if (docker.Available)
        {
            return new DockerSandboxProvider();
        }

        throw new OmegaException(NoEngineErrorId, OmegaErrorCategory.NotInstalled,
            "No sandbox engine is available: no PostgreSQL server programs (initdb, pg_ctl) were found on PATH or under /usr/lib/postgresql/*/bin, "
            + $"and no Docker engine answered ({docker.Reason}). Install PostgreSQL's server package (Debian/Ubuntu: apt-get install postgresql), "
            + "start Docker, or pass -Engine Server -Server <database> to use a scratch database on an existing server.");
    }

    private static ISandboxProvider Provider(SandboxEngine engine) => engine switch
    {
        SandboxEngine.Local => new LocalSandboxProvider(),
        SandboxEngine.Server => new ServerSandboxProvider(),
        _ => new DockerSandboxProvider(),
    };

    private static string EnsureRoot()
    {
        var root = Root;
        Directory.CreateDirectory(root);
        if (!OperatingSystem.IsWindows() && UnprivilegedAccount.IsRoot)
        {
            // The server account must be able to reach its own directory below the root.
            var parent = Path.GetDirectoryName(root);
            foreach (var dir in new[] { parent, root })
            {
                if (dir is not null && Directory.Exists(dir))
                {
                    File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
                }
            }
        }

        return root;
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveOwned();
        }
    }
}
