using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using OmegaDb.Processes;

namespace OmegaDb.Sandboxes;

/// <summary>
/// The Local engine's cache of schema templates. A template is written once, from a cluster
/// whose schema was just restored and whose server was stopped cleanly (the files of a running
/// cluster are not a consistent copy). Writers build it in a temporary directory and
/// rename it into place under an exclusive lock per source; readers copy it under a shared
/// lock, so a template is never replaced or deleted while it is being copied.
/// Beside its data directory a template keeps two spare copies, made in the background after each
/// reuse: a sandbox takes a spare by renaming it, instead of waiting while thousands of small
/// files are copied (seconds on a busy disk), and fresh spares are made for the next ones.
/// The price is disk space: a template takes three times the size of its data directory.
/// </summary>
internal static class LocalTemplateStore
{
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);
    private const string SparePrefix = "spare-";
    private const string MakingPrefix = ".making-";
    private const int Spares = 2;

    // The spare being made for each template directory by this process.
    private static readonly ConcurrentDictionary<string, Task> Refills = new(StringComparer.Ordinal);

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

        var taken = TryTakeSpare(template, dataDirectory);
        while (!taken && Refills.TryGetValue(template.Directory, out var making) && !making.IsCompleted)
        {
            // A spare this process is making is further along than a copy started now. The
            // refill makes one spare after the other: take the first as soon as it is moved into place.
            await Task.WhenAny(making, Task.Delay(50, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            taken = TryTakeSpare(template, dataDirectory);
        }

        if (!taken)
        {
            await CopyDirectoryAsync(template.DataDirectory, dataDirectory, cancellationToken).ConfigureAwait(false);
        }

        StartRefill(template.Directory);
    }

    /// <summary>Moves a spare copy into place; false when there is none (or another session took it first).</summary>
    private static bool TryTakeSpare(LocalTemplate template, string dataDirectory)
    {
        foreach (var spare in Directory.GetDirectories(template.Directory, SparePrefix + "*"))
        {
            try
            {
                Directory.Move(spare, dataDirectory);
                return true;
            }
            catch (IOException)
            {
                // Taken by another session between the listing and the move.
            }
        }

        return false;
    }

    /// <summary>Makes a spare copy of the template in the background, unless one exists or is being made.</summary>
    private static void StartRefill(string templateDirectory) =>
        Refills.AddOrUpdate(templateDirectory, Refill, (directory, running) => running.IsCompleted ? Refill(directory) : running);

    private static Task Refill(string templateDirectory) => Task.Run(async () =>
    {
        var making = Path.Combine(templateDirectory, MakingPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant());
        try
        {
            // Two, so that sandboxes made one right after the other both find one.
            while (Directory.GetDirectories(templateDirectory, SparePrefix + "*").Length < Spares)
            {
                await CopyDirectoryAsync(Path.Combine(templateDirectory, "data"), making, CancellationToken.None).ConfigureAwait(false);
                Directory.Move(making, Path.Combine(templateDirectory, SparePrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OmegaException)
        {
            // A spare only saves time: when the template went away meanwhile, or the disk is
            // full, the next sandbox copies the template itself.
            try
            {
                if (Directory.Exists(making))
                {
                    LocalSandboxProvider.DeleteDirectory(making);
                }
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }
        }
    });

    /// <summary>Waits for this process's spare of <paramref name="templateDirectory"/>, so that deleting the template does not race it.</summary>
    private static void WaitForRefill(string templateDirectory)
    {
        if (Refills.TryRemove(templateDirectory, out var running))
        {
            running.Wait(TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>
    /// Moves a stopped cluster's data directory (a freshly restored <see cref="TemplateTwin"/>)
    /// into a new template, and deletes the source's older templates. Returns false, leaving the
    /// directory where it is, when another session already wrote the same template.
    /// </summary>
    public static async Task<bool> WriteAsync(string stoppedDataDirectory, string binDirectory, SourceIdentity source, string sourceUri, string fingerprint, IProgress<string> progress, CancellationToken cancellationToken)
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

        var temporary = Path.Combine(TemplatesRoot, $".tmp-{source.Key}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}");
        Directory.CreateDirectory(temporary);
        try
        {
            // Both live under the sandbox root: a rename, not a copy.
            Directory.Move(stoppedDataDirectory, Path.Combine(temporary, "data"));
            // A pid file, if any, would make a later server think another one runs there.
            File.Delete(Path.Combine(temporary, "data", "postmaster.pid"));
            new LocalTemplate
            {
                Source = sourceUri,
                SourceKey = source.Key,
                Fingerprint = fingerprint,
                BinDirectory = binDirectory,
                CreatedAt = DateTimeOffset.UtcNow,
            }.Write(temporary);

            if (Directory.Exists(final))
            {
                // Same name, stale or unreadable content: ours replaces it (we hold the lock, so no reader is copying it).
                LocalSandboxProvider.DeleteDirectory(final);
            }

            // No spares yet: making them now would compete with the user's first steps on the
            // new sandbox, and many templates are never used twice. The first reuse starts them.
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
            WaitForRefill(stale);
            LocalSandboxProvider.DeleteDirectory(stale);
        }

        progress.Report($"template saved in {final}");
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

        try
        {
            foreach (var template in Directory.GetDirectories(TemplatesRoot, source.Key + "-*"))
            {
                WaitForRefill(template);
                LocalSandboxProvider.DeleteDirectory(template);
            }

            File.Delete(Path.Combine(TemplatesRoot, source.Key + ".lock"));
            if (!Directory.EnumerateFileSystemEntries(TemplatesRoot).Any())
            {
                Directory.Delete(TemplatesRoot);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Cleaning a cache: the sandbox itself is removed; what is left only takes space.
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

        // A data directory is thousands of small files. cp -a spends most of its time on each
        // file's attributes (and --reflink=auto on a failed clone attempt per file on ext4);
        // one tar stream into another copies the 1000-table template in half the time or less.
        // Owner and mode of the directory itself are taken from the original: PostgreSQL checks them.
        var result = OperatingSystem.IsLinux()
            ? await ProcessRunner.RunAsync("bash",
                ["-c", "set -o pipefail; mkdir -- \"$2\" && tar -C \"$1\" -cf - . | tar -C \"$2\" -xpf - && chown --reference=\"$1\" -- \"$2\" && chmod --reference=\"$1\" -- \"$2\"",
                 "omegadb-copy", from, to],
                cancellationToken, timeout: TimeSpan.FromMinutes(30)).ConfigureAwait(false)
            : await ProcessRunner.RunAsync("cp", ["-a", from, to], cancellationToken, timeout: TimeSpan.FromMinutes(30)).ConfigureAwait(false);
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
