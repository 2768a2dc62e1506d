namespace OmegaDb.Sandboxes;

/// <summary>
/// The cluster that becomes a new Local template: made beside the sandbox and restored from the
/// same dump at the same time, then stopped and moved into the template store. A schema restore
/// is one server backend's work, so on two or more cores the twin costs about no time; saving
/// the sandbox itself instead meant stopping it after its restore, copying its thousands of
/// files and starting it again, all while the user waited. (On a single core the two restores
/// share it, and the template costs about one restore's time.)
/// </summary>
/// <remarks>
/// While it is made the twin is a sandbox of its own, with a marker in the sandbox root, so that
/// a session killed half-way leaves a server that Get-OmegaSandbox lists and Remove-OmegaSandbox
/// stops, instead of one nothing knows about.
/// </remarks>
internal sealed class TemplateTwin : IAsyncDisposable
{
    private readonly SandboxMarker _marker;
    private readonly Task<OmegaSandbox> _creating;
    private readonly CancellationTokenSource _cancellation;
    private bool _stopped;

    private TemplateTwin(SandboxMarker marker, Task<OmegaSandbox> creating, CancellationTokenSource cancellation)
    {
        _marker = marker;
        _creating = creating;
        _cancellation = cancellation;
    }

    /// <summary>What the twin's progress messages start with.</summary>
    public const string MessagePrefix = "template: ";

    /// <summary>Starts making the twin (initdb, start) in the background; <see cref="ServerAsync"/> waits for it.</summary>
    public static TemplateTwin Start(SandboxRequest request, string sourceName, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var marker = SandboxManager.NewMarker($"template of {sourceName}", SandboxEngine.Local, request.From?.ToString());
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var twinRequest = new SandboxRequest { Engine = SandboxEngineChoice.Local, PostgresBin = request.PostgresBin };
        var creating = Task.Run(() => new LocalSandboxProvider().CreateAsync(twinRequest, marker, Prefixed(progress), cancellation.Token), cancellation.Token);
        return new TemplateTwin(marker, creating, cancellation);
    }

    /// <summary>Cancelled when the twin is given up: its restore stops with it.</summary>
    public CancellationToken Cancellation => _cancellation.Token;

    /// <summary>Gives the twin up: its making and restore stop.</summary>
    public void Cancel() => _cancellation.Cancel();

    /// <summary>The running twin, once initdb and start are done.</summary>
    public Task<OmegaSandbox> ServerAsync() => _creating;

    public static IProgress<string> Prefixed(IProgress<string> progress) => new PrefixedProgress(progress);

    /// <summary>Stops the twin cleanly (a checkpoint, so its files are a consistent copy) and returns its data directory.</summary>
    public async Task<(string DataDirectory, string BinDirectory)> StopAsync(CancellationToken cancellationToken)
    {
        var server = await _creating.ConfigureAwait(false);
        await LocalSandboxProvider.StopAsync(server.Marker, cancellationToken).ConfigureAwait(false);
        _stopped = true;
        return (server.Marker.DataDirectory!, server.Marker.BinDirectory!);
    }

    /// <summary>Stops the twin if it runs and deletes its directory (with its data directory, unless that was moved away).</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancellation.CancelAsync().ConfigureAwait(false);
        SandboxMarker marker;
        try
        {
            marker = (await _creating.ConfigureAwait(false)).Marker;
        }
        catch (Exception)
        {
            // Cancelled or failed half-way: the marker on disk says what was started.
            marker = SandboxMarker.TryRead(_marker.Directory) ?? _marker;
        }

        try
        {
            if (_stopped)
            {
                LocalSandboxProvider.DeleteDirectory(marker.Directory);
            }
            else
            {
                await new LocalSandboxProvider().RemoveAsync(marker, null, new Progress<string>(), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OmegaException)
        {
            // Its marker stays: Get-OmegaSandbox lists it, Remove-OmegaSandbox finishes the job.
        }

        _cancellation.Dispose();
    }

    private sealed class PrefixedProgress(IProgress<string> progress) : IProgress<string>
    {
        public void Report(string value) => progress.Report(MessagePrefix + value);
    }
}
