using OmegaDb.Backups;

namespace OmegaDb.Tests.Backups;

public sealed class BackupManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("omegadb-manifest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static OmegaBackup Sample(string dir, string file = "app-20250101-120000.dump", bool schemaOnly = false) => new()
    {
        Database = "app",
        Host = "db.example.com",
        Port = 6543,
        Source = "postgresql://deploy:****@db.example.com:6543/app",
        Path = Path.Combine(dir, file),
        ManifestPath = Path.Combine(dir, file + BackupTarget.ManifestSuffix),
        Format = BackupFormat.Custom,
        SchemaOnly = schemaOnly,
        SizeBytes = 12345,
        Sha256 = new string('a', 64),
        CreatedAt = new DateTimeOffset(2025, 1, 1, 12, 0, 0, 123, TimeSpan.FromHours(2)),
        Duration = TimeSpan.FromMilliseconds(4321),
        ServerVersion = "15.8",
        PgDumpVersion = "16.4",
        SchemaFingerprint = new string('b', 64),
        Roles = ["app_owner", "reporting \"ro\""],
        RowCounts = schemaOnly ? new Dictionary<string, long>() : new Dictionary<string, long> { ["public.orders"] = 5000, ["public.customers"] = 2000, ["sales.\"odd name\""] = 0 },
    };

    [Fact]
    public void Reads_back_what_it_wrote_and_locates_the_dump_beside_the_manifest()
    {
        var backup = Sample(_dir);
        BackupManifest.Write(backup, backup.ManifestPath);

        // Moved together, a backup still reads: the manifest names the dump by file name only.
        var moved = Directory.CreateTempSubdirectory("omegadb-manifest-moved-").FullName;
        try
        {
            var manifest = Path.Combine(moved, Path.GetFileName(backup.ManifestPath));
            File.Move(backup.ManifestPath, manifest);
            var read = BackupManifest.Read(manifest);

            Assert.Equal(Path.Combine(moved, "app-20250101-120000.dump"), read.Path);
            Assert.Equal(manifest, read.ManifestPath);
            Assert.Equal(backup.Database, read.Database);
            Assert.Equal(backup.Host, read.Host);
            Assert.Equal(backup.Port, read.Port);
            Assert.Equal(backup.Source, read.Source);
            Assert.Equal(backup.Format, read.Format);
            Assert.Equal(backup.SizeBytes, read.SizeBytes);
            Assert.Equal(backup.Sha256, read.Sha256);
            Assert.Equal(backup.CreatedAt, read.CreatedAt);
            Assert.Equal(backup.CreatedAt.Offset, read.CreatedAt.Offset);
            Assert.Equal(backup.Duration, read.Duration);
            Assert.Equal(backup.ServerVersion, read.ServerVersion);
            Assert.Equal(backup.PgDumpVersion, read.PgDumpVersion);
            Assert.Equal(backup.SchemaFingerprint, read.SchemaFingerprint);
            Assert.Equal(backup.RowCounts.OrderBy(r => r.Key), read.RowCounts.OrderBy(r => r.Key));
            Assert.Equal(backup.Roles, read.Roles);
            Assert.DoesNotContain(Path.DirectorySeparatorChar + "tmp", File.ReadAllText(manifest).Replace(moved, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(moved, recursive: true);
        }
    }

    [Fact]
    public void Never_writes_a_password_it_has_seen_even_in_a_source_that_carries_one()
    {
        SecretScrubber.Remember("Sup3r-Secret-Pw");
        var backup = Sample(_dir);
        var leaky = new OmegaBackup
        {
            Database = backup.Database, Host = backup.Host, Port = backup.Port, Path = backup.Path, ManifestPath = backup.ManifestPath,
            Format = backup.Format, SchemaOnly = false, SizeBytes = 1, Sha256 = backup.Sha256, CreatedAt = backup.CreatedAt, Duration = backup.Duration,
            ServerVersion = "15", PgDumpVersion = "15", SchemaFingerprint = backup.SchemaFingerprint,
            Source = "postgresql://deploy:Sup3r-Secret-Pw@db/app",
        };
        var text = System.Text.Encoding.UTF8.GetString(BackupManifest.Serialize(leaky));
        Assert.DoesNotContain("Sup3r-Secret-Pw", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"kind\": \"omegadb-backup\", ", "not valid JSON")]
    [InlineData("[]", "not an OmegaDb backup manifest")]
    [InlineData("{ \"kind\": \"something-else\" }", "not an OmegaDb backup manifest")]
    [InlineData("{ \"kind\": \"omegadb-backup\", \"formatVersion\": 99 }", "newer than this module reads")]
    [InlineData("{ \"kind\": \"omegadb-backup\", \"formatVersion\": 1 }", "\"file\" is missing")]
    public void Reports_a_bad_manifest_with_a_stable_error_id_and_what_is_wrong(string json, string why)
    {
        var path = Path.Combine(_dir, "bad.dump.omega.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<OmegaException>(() => BackupManifest.Read(path));
        Assert.Equal(BackupManifest.InvalidErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidData, ex.Category);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("file", "../elsewhere.dump", "without a directory")]
    [InlineData("format", "Tar", "not one of Custom, Directory, Plain")]
    [InlineData("sha256", "abc", "not a SHA-256")]
    [InlineData("createdAt", "yesterday", "not a date and time")]
    public void Refuses_fields_that_would_point_elsewhere_or_cannot_be_trusted(string field, string value, string why)
    {
        var backup = Sample(_dir);
        BackupManifest.Write(backup, backup.ManifestPath);
        var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(backup.ManifestPath))!;
        node[field] = value;
        File.WriteAllText(backup.ManifestPath, node.ToJsonString());

        var ex = Assert.Throws<OmegaException>(() => BackupManifest.Read(backup.ManifestPath));
        Assert.Equal(BackupManifest.InvalidErrorId, ex.ErrorId);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_manifest_is_not_found_and_says_what_to_pass()
    {
        var ex = Assert.Throws<OmegaException>(() => BackupManifest.Read(Path.Combine(_dir, "none.dump.omega.json")));
        Assert.Equal(BackupManifest.NotFoundErrorId, ex.ErrorId);
        Assert.Equal(OmegaErrorCategory.ObjectNotFound, ex.Category);
    }

    [Theory]
    [InlineData("/b/app.dump", "/b/app.dump.omega.json")]
    [InlineData("/b/app.dump.omega.json", "/b/app.dump.omega.json")]
    [InlineData("/b/app.dir/", "/b/app.dir.omega.json")]
    public void Finds_the_manifest_of_a_dump(string path, string manifest) =>
        Assert.Equal(manifest, BackupManifest.ManifestFor(path));
}
