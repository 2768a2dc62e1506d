using OmegaDb.Backups;

namespace OmegaDb.Tests.Backups;

public sealed class BackupTargetTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("omegadb-target-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(BackupFormat.Custom, ".dump")]
    [InlineData(BackupFormat.Plain, ".sql")]
    [InlineData(BackupFormat.Directory, ".dir")]
    public void Names_a_backup_after_the_database_and_the_time(BackupFormat format, string extension)
    {
        var name = BackupTarget.DefaultFileName("app/../x y", format, At);
        Assert.Matches(@"^app_\.\._x_y-\d{8}-\d{6}" + System.Text.RegularExpressions.Regex.Escape(extension) + "$", name);
        Assert.Contains(At.ToLocalTime().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture), name, StringComparison.Ordinal);
    }

    [Fact]
    public void Puts_the_default_name_in_a_directory_and_takes_anything_else_as_the_file_name()
    {
        var inDir = BackupTarget.Resolve(_dir, "/nowhere", "app", BackupFormat.Custom, At);
        Assert.Equal(_dir, Path.GetDirectoryName(inDir.DumpPath));
        Assert.StartsWith("app-", Path.GetFileName(inDir.DumpPath), StringComparison.Ordinal);
        Assert.Equal(inDir.DumpPath + ".omega.json", inDir.ManifestPath);

        var current = BackupTarget.Resolve(null, _dir, "app", BackupFormat.Plain, At);
        Assert.Equal(_dir, Path.GetDirectoryName(current.DumpPath));

        var named = BackupTarget.Resolve(Path.Combine(_dir, "nightly"), "/nowhere", "app", BackupFormat.Custom, At);
        Assert.Equal(Path.Combine(_dir, "nightly"), named.DumpPath);

        // Temporary names live in the same directory, so the final move is a rename.
        Assert.Equal(_dir, Path.GetDirectoryName(named.TemporaryDumpPath));
        Assert.Matches(@"^\.nightly\.[0-9a-f]{12}\.partial$", Path.GetFileName(named.TemporaryDumpPath));
    }

    [Fact]
    public void Refuses_a_directory_that_does_not_exist()
    {
        var ex = Assert.Throws<OmegaException>(() => BackupTarget.Resolve(Path.Combine(_dir, "missing", "x.dump"), _dir, "app", BackupFormat.Custom, At));
        Assert.Equal(BackupTarget.DirectoryNotFoundErrorId, ex.ErrorId);
    }

    [Theory]
    [InlineData("x.dump")]
    [InlineData("x.dump.omega.json")]
    public void Refuses_a_name_that_a_dump_or_manifest_already_has(string existing)
    {
        File.WriteAllText(Path.Combine(_dir, existing), "precious");
        var ex = Assert.Throws<OmegaException>(() => BackupTarget.Resolve(Path.Combine(_dir, "x.dump"), _dir, "app", BackupFormat.Custom, At));
        Assert.Equal(BackupTarget.ExistsErrorId, ex.ErrorId);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(_dir, existing)));
    }

    [Fact]
    public void Treats_an_existing_directory_dump_as_a_taken_name_not_a_place_to_write()
    {
        var dump = Directory.CreateDirectory(Path.Combine(_dir, "old.dir")).FullName;
        File.WriteAllText(Path.Combine(dump, "toc.dat"), "toc");
        var ex = Assert.Throws<OmegaException>(() => BackupTarget.Resolve(dump, _dir, "app", BackupFormat.Directory, At));
        Assert.Equal(BackupTarget.ExistsErrorId, ex.ErrorId);
    }

    [Fact]
    public void Commit_moves_both_files_into_place_and_leaves_no_temporary_name()
    {
        var target = BackupTarget.Resolve(Path.Combine(_dir, "x.dump"), _dir, "app", BackupFormat.Custom, At);
        File.WriteAllText(target.TemporaryDumpPath, "dump");
        File.WriteAllText(target.TemporaryManifestPath, "manifest");
        target.Commit();
        target.Abandon();

        Assert.Equal("dump", File.ReadAllText(target.DumpPath));
        Assert.Equal("manifest", File.ReadAllText(target.ManifestPath));
        Assert.Equal(["x.dump", "x.dump.omega.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Commit_never_replaces_a_file_that_appeared_meanwhile_and_keeps_no_dump_without_its_manifest()
    {
        var target = BackupTarget.Resolve(Path.Combine(_dir, "x.dump"), _dir, "app", BackupFormat.Custom, At);
        File.WriteAllText(target.TemporaryDumpPath, "dump");
        File.WriteAllText(target.TemporaryManifestPath, "manifest");
        File.WriteAllText(target.ManifestPath, "someone else's");

        var ex = Assert.Throws<OmegaException>(target.Commit);
        target.Abandon();

        Assert.Equal(BackupTarget.ExistsErrorId, ex.ErrorId);
        Assert.Equal("someone else's", File.ReadAllText(target.ManifestPath));
        Assert.False(File.Exists(target.DumpPath));
        Assert.Equal(["x.dump.omega.json"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Abandon_removes_a_half_written_directory_dump()
    {
        var target = BackupTarget.Resolve(Path.Combine(_dir, "x.dir"), _dir, "app", BackupFormat.Directory, At);
        Directory.CreateDirectory(target.TemporaryDumpPath);
        File.WriteAllText(Path.Combine(target.TemporaryDumpPath, "toc.dat"), "half");
        target.Abandon();
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
