using System.Diagnostics;
using System.Globalization;
using OmegaDb.ClientTools;
using OmegaDb.Processes;

namespace OmegaDb.Sandboxes;

/// <summary>
/// pg_dump of the source into a custom-format file in the sandbox's directory, started as soon
/// as the source is known so that it runs while the sandbox's server is being made, and
/// pg_restore of that file into the sandbox. A file rather than a pipe: pg_restore can then
/// restore rows in parallel, and a failed restore shows pg_restore's own message.
/// </summary>
internal sealed class SourceDump
{
    public const string DumpFailedErrorId = "OmegaDb.SandboxDumpFailed";
    public const string RestoreFailedErrorId = "OmegaDb.SandboxRestoreFailed";

    private static readonly TimeSpan Timeout = TimeSpan.FromHours(6);

    private readonly Task _dumping;

    private SourceDump(string path, Task dumping)
    {
        Path = path;
        _dumping = dumping;
    }

    public string Path { get; }

    /// <summary>Starts pg_dump; the returned dump completes in <see cref="WaitAsync"/>.</summary>
    public static SourceDump Start(PostgresClientTools tools, OmegaDatabase source, bool schemaOnly, string directory, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var path = System.IO.Path.Combine(directory, "source.dump");
        return new SourceDump(path, DumpAsync(tools, source, schemaOnly, path, progress, cancellationToken));
    }

    public Task WaitAsync() => _dumping;

    private static async Task DumpAsync(PostgresClientTools tools, OmegaDatabase source, bool schemaOnly, string path, IProgress<string> progress, CancellationToken cancellationToken)
    {
        // Yield first: the caller goes on making the sandbox while pg_dump runs.
        await Task.Yield();
        var watch = Stopwatch.StartNew();
        progress.Report($"pg_dump {tools.Version} of {source}{(schemaOnly ? " (schema only)" : string.Empty)}");
        // Owner-only before anything is written: the rows may be production's.
        using (File.Create(path))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var arguments = new List<string>
        {
            // Uncompressed: the file lives for seconds, and on few cores compression would cost more than the disk.
            "--format=custom", "--compress=0", "--no-sync", "--file", path,
            // A sandbox must not start replicating from the source's publisher, nor need its tablespaces or label providers.
            "--no-subscriptions", "--no-tablespaces", "--no-security-labels",
        };
        if (schemaOnly)
        {
            arguments.Add("--schema-only");
        }

        await using var environment = LibpqEnvironment.For(source);
        var result = await ProcessRunner.RunAsync(tools.PgDump, arguments, cancellationToken, environment: environment.Variables, timeout: Timeout).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OmegaException(DumpFailedErrorId, OmegaErrorCategory.InvalidOperation,
                $"pg_dump of {source} failed (exit code {result.ExitCode}):\n{result.Tail(10)}\nCheck that the user may read every object of the source (pg_dump needs SELECT on all tables), then try again.", source);
        }

        progress.Report($"pg_dump finished in {watch.Elapsed.TotalSeconds:0.00} s ({new FileInfo(path).Length / 1024.0 / 1024.0:0.0} MiB)");
    }

    /// <summary>Restores the dump into <paramref name="sandbox"/>, stopping at the first error.</summary>
    /// <param name="keepOwnership">False to leave out ownership and grants (roles the sandbox lacks).</param>
    public async Task RestoreAsync(PostgresClientTools tools, OmegaDatabase sandbox, bool schemaOnly, bool keepOwnership, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var arguments = new List<string> { "--exit-on-error", "--dbname", sandbox.Database };
        if (!keepOwnership)
        {
            arguments.Add("--no-owner");
            arguments.Add("--no-privileges");
        }

        // A schema is thousands of small statements: one transaction spares a commit each. Rows
        // load faster in parallel, one table per job.
        var jobs = Math.Clamp(Environment.ProcessorCount, 1, 4);
        if (schemaOnly || jobs == 1)
        {
            arguments.Add("--single-transaction");
        }
        else
        {
            arguments.Add("--jobs=" + jobs.ToString(CultureInfo.InvariantCulture));
        }

        arguments.Add(Path);
        progress.Report($"pg_restore into {sandbox.Name}{(keepOwnership ? string.Empty : " without ownership and grants")}");
        await using var environment = LibpqEnvironment.For(sandbox);
        var result = await ProcessRunner.RunAsync(tools.PgRestore, arguments, cancellationToken, environment: environment.Variables, timeout: Timeout).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new OmegaException(RestoreFailedErrorId, OmegaErrorCategory.InvalidData,
                $"pg_restore into the sandbox failed (exit code {result.ExitCode}); the sandbox was removed.\n{result.Tail(10)}\n"
                + "When the sandbox's PostgreSQL is older than the source's, use a sandbox of the source's major version (-PostgresBin, or -Engine Server).", sandbox);
        }

        progress.Report($"pg_restore finished in {watch.Elapsed.TotalSeconds:0.00} s");
    }

    public void Delete()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // The sandbox's directory goes with the sandbox.
        }
    }
}
