using OmegaDb.Data;
using OmegaDb.Tests.Sandboxes;
using static OmegaDb.Tests.Data.DataCopyTestSupport;

namespace OmegaDb.Tests.Data;

/// <summary>Tables whose shape makes copying harder: cycles, user types, partitions.</summary>
public sealed class DataCopierShapesTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Cycle = """
        CREATE TABLE teams (id int PRIMARY KEY, name text NOT NULL, captain_id int);
        CREATE TABLE players (id int PRIMARY KEY, team_id int NOT NULL REFERENCES teams{0}, mentor_id int REFERENCES players);
        ALTER TABLE teams ADD FOREIGN KEY (captain_id) REFERENCES players{0};
        """;

    private const string CycleData = """
        INSERT INTO teams SELECT g, 'Team ' || g, NULL FROM generate_series(1, 20) g;
        INSERT INTO players SELECT g, 1 + g % 20, CASE WHEN g > 20 THEN g - 20 END FROM generate_series(1, 200) g;
        UPDATE teams SET captain_id = 100 + id;
        """;

    private async Task<(ScratchDatabase, ScratchDatabase)> PairAsync(string schema, string data)
    {
        var source = await fixture.NewDatabaseAsync();
        var destination = await fixture.NewDatabaseAsync();
        await ExecuteAsync(source.Database, schema + data);
        await ExecuteAsync(destination.Database, schema);
        return (source, destination);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" DEFERRABLE")]
    public async Task A_cycle_between_tables_is_copied_with_every_foreign_key_checked(string deferrable)
    {
        var (source, destination) = await PairAsync(string.Format(Cycle, deferrable), CycleData);
        await using var _ = source;
        await using var __ = destination;

        var results = await CopyAsync(source.Database, destination.Database, new DataCopyOptions { Limit = 3, Tables = ["teams", "players"] });

        Assert.Equal(2, results.Count);
        Assert.Equal(3L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM teams WHERE id <= 3") );
        Assert.All(await OrphansAsync(destination.Database), o => Assert.Equal(0, o.Value));
        // Each sampled team brought its captain, each captain its team and mentors.
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM teams t WHERE NOT EXISTS (SELECT 1 FROM players p WHERE p.id = t.captain_id)"));
        // The checks are back on after the cycle.
        var insert = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(destination.Database, "INSERT INTO players VALUES (9999, 999, NULL)"));
        Assert.Contains("foreign key", insert.Message);
    }

    [Fact]
    public async Task A_cycle_is_refused_by_name_for_a_role_that_cannot_turn_checks_off()
    {
        var (source, destination) = await PairAsync(string.Format(Cycle, string.Empty), CycleData);
        await using var _ = source;
        await using var __ = destination;
        var role = "copier_" + Guid.NewGuid().ToString("n")[..8];
        await ExecuteAsync(destination.Database, $"CREATE ROLE {role} LOGIN PASSWORD 'pw-{role}'; GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}");
        try
        {
            var limited = Schema.SchemaTestSupport.As(destination.Database, role, $"pw-{role}");
            var ex = await Assert.ThrowsAsync<OmegaException>(() => CopyAsync(source.Database, limited));

            Assert.Equal(CycleGuard.ForeignKeyCycleErrorId, ex.ErrorId);
            Assert.Contains("public.players, public.teams", ex.Message);
            Assert.Contains("DEFERRABLE", ex.Message);
            Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM teams"));
        }
        finally
        {
            await ExecuteAsync(destination.Database, $"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task User_types_travel_as_text_and_built_in_ones_as_binary()
    {
        const string schema = """
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            CREATE TYPE point3 AS (x int, y int, z int);
            CREATE DOMAIN positive AS int CHECK (VALUE > 0);
            CREATE TABLE plain (id int PRIMARY KEY, m mood, p positive, tags text[], doc jsonb, at timestamptz, n numeric);
            CREATE TABLE fancy (id int PRIMARY KEY, moods mood[], spot point3, spots point3[]);
            """;
        const string data = """
            INSERT INTO plain SELECT g, (ARRAY['sad','ok','happy']::mood[])[1 + g % 3], g, ARRAY['a', 'b' || g], jsonb_build_object('g', g), now(), g / 7.0 FROM generate_series(1, 500) g;
            INSERT INTO fancy SELECT g, ARRAY['ok', 'happy']::mood[], ROW(g, g, g)::point3, ARRAY[ROW(1, 2, g)::point3] FROM generate_series(1, 500) g;
            """;
        var (source, destination) = await PairAsync(schema, data);
        await using var _ = source;
        await using var __ = destination;

        await using (var connection = await OmegaDb.Connections.DatabaseConnector.OpenAsync(source.Database, CancellationToken.None, pooling: false))
        {
            var catalog = await DataCatalog.ReadAsync(connection, CancellationToken.None);
            Assert.All(catalog.ByName("public", "plain")!.Columns, c => Assert.False(c.NeedsText, c.Name));
            Assert.Equal(["moods", "spot", "spots"], catalog.ByName("public", "fancy")!.Columns.Where(c => c.NeedsText).Select(c => c.Name));
        }

        var results = await CopyAsync(source.Database, destination.Database);

        Assert.Equal(500, results.Single(r => r.Table == "plain").Rows);
        Assert.Equal(500, results.Single(r => r.Table == "fancy").Rows);
        Assert.Equal(await RowsAsync(source.Database, "plain", "id"), await RowsAsync(destination.Database, "plain", "id"));
        Assert.Equal(await RowsAsync(source.Database, "fancy", "id"), await RowsAsync(destination.Database, "fancy", "id"));
    }

    [Fact]
    public async Task Partitioned_and_inherited_tables_are_copied_once()
    {
        const string schema = """
            CREATE TABLE events (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE notes (id int PRIMARY KEY, event_id int, event_at date, FOREIGN KEY (event_id, event_at) REFERENCES events);
            CREATE TABLE animals (id int, name text);
            CREATE TABLE dogs (breed text) INHERITS (animals);
            """;
        const string data = """
            INSERT INTO events SELECT g, date '2024-06-01' + g FROM generate_series(1, 400) g;
            INSERT INTO notes SELECT g, g * 2, date '2024-06-01' + g * 2 FROM generate_series(1, 100) g;
            INSERT INTO animals VALUES (1, 'cat');
            INSERT INTO dogs VALUES (2, 'rex', 'collie');
            """;
        var (source, destination) = await PairAsync(schema, data);
        await using var _ = source;
        await using var __ = destination;

        var results = await CopyAsync(source.Database, destination.Database, new DataCopyOptions { TableWhere = new Dictionary<string, string> { ["notes"] = "id <= 10" } });

        Assert.DoesNotContain(results, r => r.Table.StartsWith("events_", StringComparison.Ordinal));
        Assert.Equal(400L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM events"));
        Assert.Equal(10L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM notes"));
        Assert.Equal(1L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM ONLY animals"));
        Assert.Equal(1L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM dogs"));
    }

    [Fact]
    public async Task A_sampled_partitioned_parent_brings_the_rows_its_children_need()
    {
        const string schema = """
            CREATE TABLE events (id int, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
            CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
            CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE notes (id int PRIMARY KEY, event_id int, event_at date, FOREIGN KEY (event_id, event_at) REFERENCES events);
            """;
        const string data = """
            INSERT INTO events SELECT g, date '2024-06-01' + g FROM generate_series(1, 400) g;
            INSERT INTO notes SELECT g, 401 - g, date '2024-06-01' + 401 - g FROM generate_series(1, 100) g;
            """;
        var (source, destination) = await PairAsync(schema, data);
        await using var _ = source;
        await using var __ = destination;

        await CopyAsync(source.Database, destination.Database, new DataCopyOptions { Limit = 2 });

        Assert.Equal(2L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM notes"));
        Assert.Equal(4L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM events"));
        Assert.All(await OrphansAsync(destination.Database), o => Assert.Equal(0, o.Value));
    }

    [Fact]
    public async Task Cancelling_part_way_through_a_table_leaves_the_destination_empty()
    {
        const string schema = "CREATE TABLE big (id int PRIMARY KEY, payload text NOT NULL);";
        var (source, destination) = await PairAsync(schema, "INSERT INTO big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 600000) g;");
        await using var _ = source;
        await using var __ = destination;
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnRows(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            DataCopier.CopyAsync(source.Database, destination.Database, new DataCopyOptions(), progress, cancel.Token));

        Assert.True(progress.SawRows);
        Assert.Equal(0L, await ScalarAsync<long>(destination.Database, "SELECT count(*) FROM big"));
    }

    /// <summary>Cancels as soon as a table reports copied rows: the copy is then surely mid-stream.</summary>
    private sealed class CancelOnRows(CancellationTokenSource cancel) : IProgress<DataCopyProgress>
    {
        public bool SawRows { get; private set; }

        public void Report(DataCopyProgress value)
        {
            if (value is { Stage: DataCopyStage.Copying, Rows: > 0 })
            {
                SawRows = true;
                cancel.Cancel();
            }
        }
    }
}
