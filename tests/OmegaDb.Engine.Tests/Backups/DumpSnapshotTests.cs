using OmegaDb.Backups;
using OmegaDb.Tests.Sandboxes;
using OmegaDb.Tests.Schema;

namespace OmegaDb.Tests.Backups;

/// <summary>The manifest describes the exported snapshot, not the database a moment later.</summary>
public sealed class DumpSnapshotTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Counts_and_fingerprint_come_from_the_exported_snapshot_while_the_database_changes()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await SchemaTestSupport.ExecuteAsync(db, "CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 100);");
        var before = await SchemaTestSupport.ReadAsync(db);

        await using var snapshot = await DumpSnapshot.ExportAsync(db, CancellationToken.None);
        Assert.Matches("^[0-9A-F]+-[0-9A-F]+-[0-9]+$", snapshot.Id);
        // Committed after the snapshot: neither the rows nor the new table may show up.
        await SchemaTestSupport.ExecuteAsync(db, "INSERT INTO t SELECT generate_series(1, 50); CREATE TABLE later (id int); INSERT INTO later VALUES (1);");

        var (schema, counts, roles) = await snapshot.DescribeAsync(countRows: true, CancellationToken.None);
        Assert.Equal(before.Fingerprint, schema.Fingerprint);
        Assert.Equal(new Dictionary<string, long> { ["public.t"] = 100 }, counts);
        Assert.Equal(150L, await SandboxFixture.ScalarAsync(db, "SELECT count(*) FROM t"));
        // The sandbox's superuser owns everything here.
        Assert.Equal([db.User], roles);
    }

    [Fact]
    public async Task Counts_leaf_partitions_and_inherited_children_where_pg_dump_dumps_their_rows()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var db = scratch.Database;
        await SchemaTestSupport.ExecuteAsync(db, """
            CREATE TABLE p (id int) PARTITION BY RANGE (id);
            CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
            CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);
            INSERT INTO p SELECT generate_series(0, 14);
            CREATE TABLE parent (id int); CREATE TABLE child () INHERITS (parent);
            INSERT INTO parent VALUES (1); INSERT INTO child VALUES (2), (3);
            """);
        await using var snapshot = await DumpSnapshot.ExportAsync(db, CancellationToken.None);
        var (_, counts, _) = await snapshot.DescribeAsync(countRows: true, CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { ["public.child"] = 2, ["public.p1"] = 10, ["public.p2"] = 5, ["public.parent"] = 1 },
            counts.OrderBy(c => c.Key).ToDictionary());
    }
}
