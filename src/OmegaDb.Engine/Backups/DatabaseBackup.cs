using System.Diagnostics;
using OmegaDb.ClientTools;
using OmegaDb.Processes;

namespace OmegaDb.Backups;

/// <summary>
/// Backup-OmegaDatabase's work: pg_dump in an exported snapshot, the schema and row counts
/// read in that same snapshot while it runs, the dump hashed, the manifest written, and both
/// moved to their final names only when everything succeeded.
/// </summary>
public static class DatabaseBackup
{
    public const string PgDumpFailedErrorId = "OmegaDb.PgDumpFailed";

    public static async Task<OmegaBackup> CreateAsync(BackupRequest request, IProgress<string> progress, CancellationToken cancellationToken)
    {
        BackupRequest.Validate(request.Format, request.Jobs);
        var database = request.Database;
        var target = request.Target;
        var createdAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();

        progress.Report($"taking a snapshot of {database.Name}");
        var snapshot = await DumpSnapshot.ExportAsync(database, cancellationToken).ConfigureAwait(false);
        try
        {
            var tools = await PostgresClientTools.FindForServerAsync(request.PostgresBin, snapshot.ServerVersion, cancellationToken).ConfigureAwait(false);
            progress.Report($"dumping with {tools.PgDump} ({tools.Version})");
            target.EnsureFree();
            PrepareOwnerOnly(target);

            // One failure stops the other: a dead pg_dump makes the counts pointless, and a
            // failed schema read means the manifest cannot be written.
            using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reporter = new ClientProgress(progress, "dumping");
            Description described;
            await using (var libpq = LibpqEnvironment.For(database))
            {
                var dumpTask = ProcessRunner.RunAsync(tools.PgDump, PgDumpArguments(request, snapshot.Id, target.TemporaryDumpPath), failFast.Token,
                    environment: libpq.Variables, timeout: Timeout.InfiniteTimeSpan, onErrorLine: reporter.OnLine);
                var describeTask = DescribeAsync(snapshot, request.SchemaOnly, reporter, progress, failFast.Token);
                var pending = new List<Task> { dumpTask, describeTask };
                while (pending.Count > 0)
                {
                    var done = await Task.WhenAny(pending).ConfigureAwait(false);
                    pending.Remove(done);
                    if (!done.IsCompletedSuccessfully || (done == dumpTask && !dumpTask.Result.Succeeded))
                    {
                        failFast.Cancel();
                    }
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (dumpTask.IsCompletedSuccessfully && !dumpTask.Result.Succeeded)
                {
                    throw new OmegaException(PgDumpFailedErrorId, OmegaErrorCategory.InvalidOperation,
                        $"pg_dump failed (exit code {dumpTask.Result.ExitCode}) and no backup was written. Its last messages:\n{dumpTask.Result.Tail(10)}", database);
                }

                // Whichever failed on its own, not because the other one stopped it, explains the failure.
                if (describeTask.IsFaulted && describeTask.Exception!.InnerException is not OperationCanceledException)
                {
                    await describeTask.ConfigureAwait(false);
                }

                await dumpTask.ConfigureAwait(false);
                described = await describeTask.ConfigureAwait(false);
            }

            await snapshot.DisposeAsync().ConfigureAwait(false);
            progress.Report("computing the SHA-256 of the dump");
            var checksum = await BackupChecksum.ComputeAsync(target.TemporaryDumpPath, cancellationToken).ConfigureAwait(false);
            var backup = new OmegaBackup
            {
                Database = database.Database,
                Host = database.Host,
                Port = database.Port,
                Source = database.ToString(),
                Path = target.DumpPath,
                ManifestPath = target.ManifestPath,
                Format = request.Format,
                SchemaOnly = request.SchemaOnly,
                SizeBytes = checksum.SizeBytes,
                Sha256 = checksum.Sha256,
                CreatedAt = createdAt,
                Duration = clock.Elapsed,
                ServerVersion = snapshot.ServerVersion.Split(' ')[0],
                PgDumpVersion = tools.Version.ToString(),
                SchemaFingerprint = described.Fingerprint,
                RowCounts = described.RowCounts,
                Roles = described.Roles,
            };
            BackupManifest.Write(backup, target.TemporaryManifestPath);
            target.Commit();
            return backup;
        }
        finally
        {
            await snapshot.DisposeAsync().ConfigureAwait(false);
            target.Abandon();
        }
    }

    /// <summary>pg_dump's arguments: options and the temporary file name; the connection comes from the environment.</summary>
    public static IReadOnlyList<string> PgDumpArguments(BackupRequest request, string snapshot, string file)
    {
        var arguments = new List<string>
        {
            "--format=" + request.Format switch { BackupFormat.Directory => "directory", BackupFormat.Plain => "plain", _ => "custom" },
            "--file=" + file,
            "--snapshot=" + snapshot,
            "--verbose",
            "--no-password",
        };
        if (request.SchemaOnly)
        {
            arguments.Add("--schema-only");
        }

        if (request.Format == BackupFormat.Directory && request.Jobs > 1)
        {
            arguments.Add("--jobs=" + request.Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return arguments;
    }

    private static async Task<Description> DescribeAsync(DumpSnapshot snapshot, bool schemaOnly, ClientProgress reporter, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var (schema, counts, roles) = await snapshot.DescribeAsync(!schemaOnly, cancellationToken).ConfigureAwait(false);
        reporter.TotalTables = schemaOnly ? null : counts.Count;
        progress.Report(schemaOnly ? $"read the schema ({schema.Tables.Count} tables) in the dump's snapshot" : $"read the schema and counted the rows of {counts.Count} tables in the dump's snapshot");
        return new Description(schema.Fingerprint, counts, roles);
    }

    private sealed record Description(string Fingerprint, IReadOnlyDictionary<string, long> RowCounts, IReadOnlyList<string> Roles);

    /// <summary>
    /// A dump holds the database's data: the temporary file (or directory) is made owner-only
    /// before pg_dump writes into it, and keeps that mode through the rename.
    /// </summary>
    private static void PrepareOwnerOnly(BackupTarget target)
    {
        if (target.Format == BackupFormat.Directory)
        {
            // pg_dump -Fd accepts an existing directory when it is empty.
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(target.TemporaryDumpPath);
            }
            else
            {
                Directory.CreateDirectory(target.TemporaryDumpPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            return;
        }

        using (File.Create(target.TemporaryDumpPath))
        {
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target.TemporaryDumpPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
