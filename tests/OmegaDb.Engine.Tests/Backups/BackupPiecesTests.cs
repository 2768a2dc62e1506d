using System.Security.Cryptography;
using OmegaDb.Backups;

namespace OmegaDb.Tests.Backups;

/// <summary>The small pieces of a backup that need no server: checksums, arguments, progress, row count comparison.</summary>
public sealed class BackupPiecesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omegadb-pieces-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_file_checksum_is_its_plain_sha256_and_size()
    {
        var file = Path.Combine(_dir, "x.dump");
        var bytes = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await File.WriteAllBytesAsync(file, bytes);
        var result = await BackupChecksum.ComputeAsync(file, CancellationToken.None);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), result.Sha256);
        Assert.Equal(bytes.Length, result.SizeBytes);
    }

    [Fact]
    public async Task A_directory_checksum_changes_when_a_file_is_renamed_moved_or_added_not_when_files_are_written_in_another_order()
    {
        async Task<string> HashOf(params (string Name, string Content)[] files)
        {
            var dir = Directory.CreateTempSubdirectory("omegadb-dirhash-").FullName;
            try
            {
                foreach (var (name, content) in files)
                {
                    await File.WriteAllTextAsync(Path.Combine(dir, name), content);
                }

                return (await BackupChecksum.ComputeAsync(dir, CancellationToken.None)).Sha256;
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        var original = await HashOf(("toc.dat", "toc"), ("3001.dat.gz", "ab"), ("3002.dat.gz", "c"));
        Assert.Equal(original, await HashOf(("3002.dat.gz", "c"), ("toc.dat", "toc"), ("3001.dat.gz", "ab")));
        Assert.NotEqual(original, await HashOf(("toc.dat", "toc"), ("3001.dat.gz", "ab"), ("3003.dat.gz", "c")));
        // The same bytes split differently between files.
        Assert.NotEqual(original, await HashOf(("toc.dat", "toc"), ("3001.dat.gz", "a"), ("3002.dat.gz", "bc")));
        Assert.NotEqual(original, await HashOf(("toc.dat", "toc"), ("3001.dat.gz", "ab"), ("3002.dat.gz", "c"), ("extra", string.Empty)));
    }

    [Fact]
    public void Pg_dump_gets_the_snapshot_and_a_temporary_file_never_a_connection_or_password()
    {
        var database = OmegaDb.Connections.DatabaseConnector.Create("postgresql://deploy:Pw-On-Line-1@db.example.com:6543/app");
        var target = BackupTarget.Resolve(_dir, _dir, "app", BackupFormat.Directory, DateTimeOffset.Now);
        var request = new BackupRequest { Database = database, Target = target, Format = BackupFormat.Directory, Jobs = 4, SchemaOnly = true };
        var arguments = DatabaseBackup.PgDumpArguments(request, "00000003-0000001B-1", target.TemporaryDumpPath);

        Assert.Contains("--format=directory", arguments);
        Assert.Contains("--snapshot=00000003-0000001B-1", arguments);
        Assert.Contains("--file=" + target.TemporaryDumpPath, arguments);
        Assert.Contains("--jobs=4", arguments);
        Assert.Contains("--schema-only", arguments);
        Assert.Contains("--no-password", arguments);
        Assert.DoesNotContain(arguments, a => a.Contains("Pw-On-Line-1", StringComparison.Ordinal) || a.Contains("db.example.com", StringComparison.Ordinal) || a.Contains("deploy", StringComparison.Ordinal));

        var custom = DatabaseBackup.PgDumpArguments(request with { Format = BackupFormat.Custom, Jobs = 1, SchemaOnly = false }, "s", "f");
        Assert.Contains("--format=custom", custom);
        Assert.DoesNotContain(custom, a => a.StartsWith("--jobs", StringComparison.Ordinal) || a == "--schema-only");
    }

    [Theory]
    [InlineData(BackupFormat.Custom)]
    [InlineData(BackupFormat.Plain)]
    public void Parallel_jobs_need_the_directory_format(BackupFormat format)
    {
        var ex = Assert.Throws<OmegaException>(() => BackupRequest.Validate(format, 2));
        Assert.Equal(BackupRequest.JobsNeedDirectoryErrorId, ex.ErrorId);
        BackupRequest.Validate(BackupFormat.Directory, 2);
        BackupRequest.Validate(format, 1);
    }

    [Fact]
    public void A_plain_dump_cannot_be_restored_with_clean_or_jobs()
    {
        Assert.Equal(RestoreOptions.CleanNeedsArchiveErrorId,
            Assert.Throws<OmegaException>(() => RestoreOptions.Validate(BackupFormat.Plain, new RestoreOptions { Clean = true })).ErrorId);
        Assert.Throws<OmegaException>(() => RestoreOptions.Validate(BackupFormat.Plain, new RestoreOptions { Jobs = 2 }));
        RestoreOptions.Validate(BackupFormat.Custom, new RestoreOptions { Clean = true, Jobs = 2 });
    }

    [Fact]
    public void Pg_restore_names_the_database_as_a_conninfo_and_restores_in_one_transaction_unless_parallel()
    {
        var database = OmegaDb.Connections.DatabaseConnector.Create("postgresql://deploy:Pw-On-Line-2@db/we%27ird%3Dname");
        var backup = BackupManifestTests.Sample(_dir);
        var single = BackupRestorer.PgRestoreArguments(backup, database, new RestoreOptions { Clean = true });
        Assert.Contains("--dbname=dbname='we\\'ird=name'", single);
        Assert.Contains("--single-transaction", single);
        Assert.Contains("--clean", single);
        Assert.Contains("--if-exists", single);
        Assert.Contains("--no-owner", single);
        Assert.Contains("--exit-on-error", single);
        Assert.Equal(backup.Path, single[^1]);
        Assert.DoesNotContain(single, a => a.Contains("Pw-On-Line-2", StringComparison.Ordinal));

        var parallel = BackupRestorer.PgRestoreArguments(backup, database, new RestoreOptions { Jobs = 3, NoPrivileges = true });
        Assert.Contains("--jobs=3", parallel);
        Assert.Contains("--no-privileges", parallel);
        Assert.DoesNotContain("--single-transaction", parallel);
    }

    [Fact]
    public void Verbose_lines_become_throttled_progress_with_table_counts()
    {
        var messages = new List<string>();
        var progress = new ClientProgress(new SyncProgress(messages), "dumping") { TotalTables = 3 };
        progress.OnLine("pg_dump: reading schemas");
        progress.OnLine("pg_dump: dumping contents of table \"public.a\"");
        progress.OnLine("pg_dump: dumping contents of table \"public.b\"");
        progress.OnLine("pg_dump: dumping contents of table \"public.c\"");
        progress.OnLine("some other line");

        Assert.Equal("reading schemas", messages[0]);
        // Within the interval only the first and the last table are reported.
        Assert.Equal("dumping table public.c (3 of 3)", messages[^1]);
        Assert.DoesNotContain(messages, m => m.Contains("public.b", StringComparison.Ordinal));
    }

    [Fact]
    public void Row_counts_that_differ_are_named_in_the_message()
    {
        var backup = BackupManifestTests.Sample(_dir);
        var same = BackupTester.CompareRowCounts(backup, new Dictionary<string, long>(backup.RowCounts));
        Assert.True(same.Passed);
        Assert.Equal(BackupCheck.RowCounts, same.Check);
        Assert.Equal("3 tables, 7000 rows", same.Expected);

        var restored = new Dictionary<string, long> { ["public.orders"] = 4999, ["public.customers"] = 2000, ["public.extra"] = 1 };
        var different = BackupTester.CompareRowCounts(backup, restored);
        Assert.False(different.Passed);
        Assert.Contains("public.orders: 5000 rows expected, 4999 rows restored", different.Message, StringComparison.Ordinal);
        Assert.Contains("public.extra: not in the manifest expected, 1 rows restored", different.Message, StringComparison.Ordinal);
        Assert.Contains("sales.\"odd name\": 0 rows expected, missing restored", different.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_schema_only_backup_expects_every_restored_table_empty()
    {
        var backup = BackupManifestTests.Sample(_dir, schemaOnly: true);
        Assert.True(BackupTester.CompareRowCounts(backup, new Dictionary<string, long> { ["public.a"] = 0 }).Passed);
        Assert.False(BackupTester.CompareRowCounts(backup, new Dictionary<string, long> { ["public.a"] = 2 }).Passed);
    }

    private sealed class SyncProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }
}
