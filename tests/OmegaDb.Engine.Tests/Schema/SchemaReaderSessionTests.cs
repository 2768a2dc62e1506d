using System.Data;
using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;
using OmegaDb.Tests.Sandboxes;

namespace OmegaDb.Tests.Schema;

/// <summary>
/// How a read treats the session it runs in: the caller's search_path, the caller's open
/// transaction, and failures, which must leave both as they were.
/// </summary>
public sealed class SchemaReaderSessionTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    // Names that PostgreSQL prints unqualified only when app is on the search_path.
    private const string Ddl = """
        CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('sad', 'happy');
        CREATE SEQUENCE app.numbers;
        CREATE FUNCTION app.twice(v integer) RETURNS integer LANGUAGE sql IMMUTABLE RETURN v * 2;
        CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
        CREATE TABLE app.people (
            id integer PRIMARY KEY DEFAULT nextval('app.numbers'),
            mood app.mood DEFAULT 'happy',
            doubled integer GENERATED ALWAYS AS (app.twice(id)) STORED);
        CREATE TABLE app.visits (person integer REFERENCES app.people (id), CHECK (app.twice(person) > 0));
        CREATE INDEX people_twice ON app.people (app.twice(id)) WHERE mood = 'happy';
        CREATE TRIGGER people_touch BEFORE UPDATE ON app.people FOR EACH ROW EXECUTE FUNCTION app.touch();
        CREATE VIEW app.happy AS SELECT id, app.twice(id) AS two FROM app.people WHERE mood = 'happy';
        CREATE DOMAIN app.small AS integer DEFAULT app.twice(1) CHECK (VALUE < app.twice(50));
        """;

    private static async Task<NpgsqlConnection> OpenAsync(OmegaDatabase database) =>
        await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);

    private static async Task<string> SearchPathAsync(NpgsqlConnection connection) =>
        (string)(await SchemaTestSupport.ScalarAsync(connection, "SHOW search_path"))!;

    [Fact]
    public async Task Fingerprint_does_not_depend_on_the_callers_search_path()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await SchemaTestSupport.ExecuteAsync(scratch.Database, Ddl);
        var reference = await SchemaTestSupport.ReadAsync(scratch.Database);

        await using var connection = await OpenAsync(scratch.Database);
        await SchemaTestSupport.ExecuteAsync(connection, "SET search_path = app, public");
        var shifted = await SchemaTestSupport.ReadAsync(connection, scratch.Database);

        Assert.Equal(SchemaTestSupport.Content(reference), SchemaTestSupport.Content(shifted));
        Assert.Equal(reference.Fingerprint, shifted.Fingerprint);
        Assert.Equal("app, public", await SearchPathAsync(connection));
        // Deparsed with an empty search_path, every name outside pg_catalog is qualified.
        Assert.Equal("app.mood", reference.GetTable("app.people")!.GetColumn("mood")!.Type);
    }

    [Fact]
    public async Task Outside_a_transaction_the_read_opens_and_closes_its_own()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await SchemaTestSupport.ExecuteAsync(scratch.Database, Ddl);
        await using var connection = await OpenAsync(scratch.Database);
        await SchemaTestSupport.ExecuteAsync(connection, "SET search_path = app");

        var schema = await SchemaTestSupport.ReadAsync(connection);

        Assert.Null(schema.Database);
        Assert.Contains(schema.Tables, t => t.FullName == "app.people");
        Assert.Equal("app", await SearchPathAsync(connection));
        // No transaction was left open: Npgsql would refuse to begin another.
        await using var transaction = await connection.BeginTransactionAsync();
        Assert.Equal("read committed", await SchemaTestSupport.ScalarAsync(connection, "SHOW transaction_isolation"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Inside_a_transaction_the_read_sees_uncommitted_ddl_and_leaves_the_transaction_usable(bool beganWithSql)
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await SchemaTestSupport.ExecuteAsync(scratch.Database, Ddl);
        await using var connection = await OpenAsync(scratch.Database);
        await SchemaTestSupport.ExecuteAsync(connection, "SET search_path = public");
        NpgsqlTransaction? transaction = null;
        if (beganWithSql)
        {
            await SchemaTestSupport.ExecuteAsync(connection, "BEGIN");
        }
        else
        {
            transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted);
        }

        await SchemaTestSupport.ExecuteAsync(connection, "SET LOCAL search_path = app; CREATE TABLE app.fresh (id integer); INSERT INTO app.fresh VALUES (1)");

        var schema = await SchemaTestSupport.ReadAsync(connection, scratch.Database);

        Assert.Contains(schema.Tables, t => t.FullName == "app.fresh");
        Assert.Equal("app", await SearchPathAsync(connection));
        Assert.Equal(1L, await SchemaTestSupport.ScalarAsync(connection, "SELECT count(*) FROM fresh"));
        Assert.Equal("read committed", await SchemaTestSupport.ScalarAsync(connection, "SHOW transaction_isolation"));
        Assert.Equal("off", await SchemaTestSupport.ScalarAsync(connection, "SHOW transaction_read_only"));
        await SchemaTestSupport.ExecuteAsync(connection, "INSERT INTO fresh VALUES (2)");

        // The read committed nothing: rolling back the caller's transaction undoes it all.
        if (transaction is null)
        {
            await SchemaTestSupport.ExecuteAsync(connection, "ROLLBACK");
        }
        else
        {
            await transaction.RollbackAsync();
        }

        Assert.Equal("public", await SearchPathAsync(connection));
        var after = await SchemaTestSupport.ReadAsync(scratch.Database);
        Assert.DoesNotContain(after.Tables, t => t.Name == "fresh");
        Assert.NotEqual(schema.Fingerprint, after.Fingerprint);
    }

    [Fact]
    public async Task Reading_in_a_transaction_gives_the_fingerprint_of_reading_outside()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await SchemaTestSupport.ExecuteAsync(scratch.Database, Ddl);
        var outside = await SchemaTestSupport.ReadAsync(scratch.Database);
        await using var connection = await OpenAsync(scratch.Database);
        await using var transaction = await connection.BeginTransactionAsync();
        var inside = await SchemaTestSupport.ReadAsync(connection, scratch.Database);
        Assert.Equal(outside.Fingerprint, inside.Fingerprint);
    }

    [Fact]
    public async Task Permission_problem_is_an_OmegaException_that_names_the_catalog_and_the_role()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var role = "reader_" + Guid.NewGuid().ToString("n")[..8];
        await SchemaTestSupport.ExecuteAsync(scratch.Database, $"""
            {Ddl}
            CREATE ROLE {role} LOGIN PASSWORD 'secret-pw';
            REVOKE SELECT ON pg_catalog.pg_description FROM PUBLIC;
            """);
        try
        {
            var limited = SchemaTestSupport.As(scratch.Database, role, "secret-pw");
            var error = await Assert.ThrowsAsync<OmegaException>(() => SchemaTestSupport.ReadAsync(limited));
            Assert.Equal(DatabaseConnector.PermissionDeniedErrorId, error.ErrorId);
            Assert.Equal(OmegaErrorCategory.PermissionDenied, error.Category);
            Assert.Contains("pg_description", error.Message, StringComparison.Ordinal);
            Assert.Contains(role, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-pw", error.Message, StringComparison.Ordinal);
            Assert.IsType<PostgresException>(error.InnerException);

            await using var connection = await OpenAsync(limited);
            var onConnection = await Assert.ThrowsAsync<OmegaException>(() => SchemaTestSupport.ReadAsync(connection, limited));
            Assert.Equal(OmegaErrorCategory.PermissionDenied, onConnection.Category);
        }
        finally
        {
            await SchemaTestSupport.ExecuteAsync(fixture.Sandbox, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task A_read_that_fails_inside_the_callers_transaction_leaves_it_usable()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var role = "reader_" + Guid.NewGuid().ToString("n")[..8];
        await SchemaTestSupport.ExecuteAsync(scratch.Database, $"""
            {Ddl}
            CREATE ROLE {role};
            REVOKE SELECT ON pg_catalog.pg_description FROM PUBLIC;
            """);
        try
        {
            await using var connection = await OpenAsync(scratch.Database);
            await using var transaction = await connection.BeginTransactionAsync();
            await SchemaTestSupport.ExecuteAsync(connection, $"CREATE TABLE app.mine (id integer); SET LOCAL search_path = app; SET LOCAL ROLE {role}");

            var error = await Assert.ThrowsAsync<OmegaException>(() => SchemaTestSupport.ReadAsync(connection, scratch.Database));

            Assert.Equal(OmegaErrorCategory.PermissionDenied, error.Category);
            Assert.Equal("app", await SearchPathAsync(connection));
            await SchemaTestSupport.ExecuteAsync(connection, "RESET ROLE");
            Assert.Equal(0L, await SchemaTestSupport.ScalarAsync(connection, "SELECT count(*) FROM mine"));
            await transaction.CommitAsync();
            Assert.Contains((await SchemaTestSupport.ReadAsync(scratch.Database)).Tables, t => t.FullName == "app.mine");
        }
        finally
        {
            await SchemaTestSupport.ExecuteAsync(fixture.Sandbox, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task Under_a_one_connection_limit_the_read_uses_one_connection_and_reads_the_same()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        var role = "single_" + Guid.NewGuid().ToString("n")[..8];
        await SchemaTestSupport.ExecuteAsync(scratch.Database, $"""
            {Ddl}
            CREATE ROLE {role} LOGIN PASSWORD 'secret-pw' CONNECTION LIMIT 1;
            """);
        try
        {
            var reference = await SchemaTestSupport.ReadAsync(scratch.Database);
            var limited = SchemaTestSupport.As(scratch.Database, role, "secret-pw");

            var first = await SchemaTestSupport.ReadAsync(limited);
            // The second read finds the first one's connection idle in the pool, holding the one slot.
            var second = await SchemaTestSupport.ReadAsync(limited);

            Assert.Equal(reference.Fingerprint, first.Fingerprint);
            Assert.Equal(reference.Fingerprint, second.Fingerprint);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await SchemaTestSupport.ExecuteAsync(fixture.Sandbox, $"DROP ROLE IF EXISTS {role}");
        }
    }

    [Fact]
    public async Task A_transaction_that_already_failed_is_reported_as_such()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await using var connection = await OpenAsync(scratch.Database);
        await using var transaction = await connection.BeginTransactionAsync();
        await Assert.ThrowsAsync<PostgresException>(() => SchemaTestSupport.ExecuteAsync(connection, "SELECT 1/0"));

        var error = await Assert.ThrowsAsync<OmegaException>(() => SchemaTestSupport.ReadAsync(connection, scratch.Database));

        Assert.Equal(SchemaReader.ReadFailedErrorId, error.ErrorId);
        Assert.Contains("Roll it back", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancelled_read_stops()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SchemaReader.ReadAsync(fixture.Sandbox, SchemaReadOptions.Default, cancelled.Token));
    }

    [Fact]
    public async Task A_closed_connection_is_refused()
    {
        await using var connection = new NpgsqlConnection();
        await Assert.ThrowsAsync<ArgumentException>(() => SchemaTestSupport.ReadAsync(connection));
    }
}
