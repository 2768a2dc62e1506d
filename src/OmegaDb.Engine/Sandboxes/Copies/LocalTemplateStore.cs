using System.Diagnostics;
using System.Security.Cryptography;
using OmegaDb.Processes;

namespace OmegaDb.Sandboxes;

/// <summary>
/// The Local engine's cache of schema templates. A template is written once, from a sandbox
/// whose schema was just restored, while that sandbox's server is stopped (the files of a
/// running cluster are not a consistent copy). Writers build it in a temporary directory and
/// rename it into place under an exclusive lock per source; readers copy it under a shared
/// lock, so a template is never replaced or deleted while it is being copied.
/// </summary>
internal static class LocalTemplateStore
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);

    public static string TemplatesRoot => Path.Combine(SandboxManager.Root, "templates");

    public static string DirectoryFor(SourceIdentity source, string fingerprint) =>
        Path.Combine(TemplatesRoot, $"{source.Key}-{SourceIdentity.FingerprintKey(fingerprint)}");

    /// <summary>The template for this source and schema that the given server programs can start, if any.</summary>
    public static LocalTemplate? Find(SourceIdentity source, string fingerprint, string binDirectory)
    {
        var template = LocalTemplate.TryRead(DirectoryFor(source, fingerprint));
        return template is not null && template.Fingerprint == fingerprint && template.BinDirectory == binDirectory ? template : null;
    }

    /// <summary>Copies the template's data directory to <paramref name="dataDirectory"/> (which must not exist).</summary>
    public static async Task CopyAsync(LocalTemplate template, string dataDirectory, CancellationToken cancellationToken)
    {
        using var held = await AcquireAsync(template.SourceKey, exclusive: false, cancellationToken).ConfigureAwait(false)
            ?? throw new OmegaException("OmegaDb.SandboxTemplateBusy", OmegaErrorCategory.ResourceBusy,
                $"The template in {template.Directory} stayed locked by another session for {LockWait.TotalSeconds:0} s. Try again.", template.Directory);
        if (!Directory.Exists(template.DataDirectory))
        {
            throw new OmegaException("OmegaDb.SandboxTemplateGone", OmegaErrorCategory.ObjectNotFound,
                $"The template {template.Directory} was replaced while this sandbox was being made. Run New-OmegaSandbox again.", template.Directory);
        }

        await CopyDirectoryAsync(template.DataDirectory, dataDirectory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops <paramref name="marker"/>'s freshly restored cluster, copies its data directory into
    /// a new template, starts the cluster again, and deletes the source's older templates.
    /// Returns false when another session already wrote the same template.
    /// </summary>
    public static async Task<bool> WriteAsync(SandboxMarker marker, SourceIdentity source, string sourceUri, string fingerprint, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var final = DirectoryFor(source, fingerprint);
        Directory.CreateDirectory(TemplatesRoot);
        using var held = await AcquireAsync(source.Key, exclusive: true, cancellationToken).ConfigureAwait(false);
        if (held is null)
        {
            progress.Report($"no template written: another session held the template lock of this source for {LockWait.TotalSeconds:0} s");
            return false;
        }

        if (LocalTemplate.TryRead(final) is { } existing && existing.Fingerprint == fingerprint)
        {
            return false;
        }

        var watch = Stopwatch.StartNew();
        var temporary = Path.Combine(TemplatesRoot, $".tmp-{source.Key}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}");
        Directory.CreateDirectory(temporary);
        try
        {
            progress.Report($"saving the schema as a template in {final}");
            await LocalSandboxProvider.StopAsync(marker, cancellationToken).ConfigureAwait(false);
            try
            {
                await CopyDirectoryAsync(marker.DataDirectory!, Path.Combine(temporary, "data"), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // The sandbox is what the user asked for; it runs again whether or not the copy worked.
                await LocalSandboxProvider.StartAsync(marker, CancellationToken.None).ConfigureAwait(false);
            }

            // The copy's pid file, if any, would make a later server think another one runs there.
            File.Delete(Path.Combine(temporary, "data", "postmaster.pid"));
            new LocalTemplate
            {
                Source = sourceUri,
                SourceKey = source.Key,
                Fingerprint = fingerprint,
                BinDirectory = marker.BinDirectory!,
                CreatedAt = DateTimeOffset.UtcNow,
            }.Write(temporary);

            if (Directory.Exists(final))
            {
                // Same name, stale or unreadable content: ours replaces it (we hold the lock, so no reader is copying it).
                LocalSandboxProvider.DeleteDirectory(final);
            }

            Directory.Move(temporary, final);
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                LocalSandboxProvider.DeleteDirectory(temporary);
            }
        }

        foreach (var stale in Directory.GetDirectories(TemplatesRoot, source.Key + "-*").Where(d => !string.Equals(d, final, StringComparison.Ordinal)))
        {
            progress.Report($"deleting the outdated template {stale}");
            LocalSandboxProvider.DeleteDirectory(stale);
        }

        progress.Report($"template saved in {watch.Elapsed.TotalSeconds:0.00} s");
        return true;
    }

    /// <summary>
    /// Deletes every template made from <paramref name="source"/>: called when that source is a
    /// sandbox being removed, whose templates no later sandbox can be made from.
    /// </summary>
    public static void DeleteMadeFrom(SourceIdentity source)
    {
        if (!Directory.Exists(TemplatesRoot))
        {
            return;
        }

        foreach (var template in Directory.GetDirectories(TemplatesRoot, source.Key + "-*"))
        {
            LocalSandboxProvider.DeleteDirectory(template);
        }

        File.Delete(Path.Combine(TemplatesRoot, source.Key + ".lock"));
        if (!Directory.EnumerateFileSystemEntries(TemplatesRoot).Any())
        {
            Directory.Delete(TemplatesRoot);
        }
    }

    /// <summary>
    /// An advisory lock on <c>templates/&lt;key&gt;.lock</c> (flock on Unix: shared for readers,
    /// exclusive for writers), released when disposed or when the process dies; null after the wait.
    /// </summary>
    private static async Task<IDisposable?> AcquireAsync(string key, bool exclusive, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(TemplatesRoot);
        var path = Path.Combine(TemplatesRoot, key + ".lock");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, exclusive ? FileAccess.ReadWrite : FileAccess.Read,
                    exclusive ? FileShare.None : FileShare.Read);
            }
            catch (IOException) when (deadline.Elapsed < LockWait)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    /// <summary>A data directory copy that keeps modes and owners (the server refuses a data directory anyone else can read).</summary>
    private static async Task CopyDirectoryAsync(string from, string to, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            CopyManaged(new DirectoryInfo(from), to);
            return;
        }

        var arguments = OperatingSystem.IsLinux() ? new[] { "-a", "--reflink=auto", from, to } : ["-a", from, to];
        var result = await ProcessRunner.RunAsync("cp", arguments, cancellationToken, timeout: TimeSpan.FromMinutes(30)).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OmegaException("OmegaDb.SandboxTemplateCopyFailed", OmegaErrorCategory.DeviceError,
                $"Copying {from} to {to} failed (exit code {result.ExitCode}): {result.Tail(5)} Check the free space under {SandboxManager.Root}.", from);
        }
    }

    private static void CopyManaged(DirectoryInfo from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in from.GetFiles())
        {
            file.CopyTo(Path.Combine(to, file.Name));
        }

        foreach (var directory in from.GetDirectories())
        {
            CopyManaged(directory, Path.Combine(to, directory.Name));
        }
    }
}
