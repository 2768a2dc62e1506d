using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;
using OmegaDb.Tests.Sandboxes;

namespace OmegaDb.Tests.Schema;

/// <summary>
/// The snapshot cache may only ever save a read: an unchanged database gives back the cached
/// snapshot, and after each kind of DDL the cached path returns exactly what a full read does.
/// </summary>
public sealed class SchemaSnapshotCacheTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const string Setup = """
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        CREATE DOMAIN email AS text;
        CREATE SEQUENCE invoice_no;
        CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, address email NOT NULL, mood mood,
                            note text, CONSTRAINT note_short CHECK (length(note) < 100));
        CREATE VIEW user_notes AS SELECT id, note FROM users;
        CREATE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) $$;
        """;

    public static TheoryData<string> Changes => new()
    {
        "ALTER TABLE users ADD COLUMN nickname text",
        "COMMENT ON COLUMN users.note IS 'free text'",
        "CREATE OR REPLACE VIEW user_notes AS SELECT id, note FROM users WHERE note IS NOT NULL",
        "ALTER TYPE mood ADD VALUE 'happy'",
        "ALTER TABLE users DROP CONSTRAINT note_short",
        "ALTER SEQUENCE invoice_no INCREMENT BY 5",
        "ALTER TABLE users RENAME COLUMN note TO remark",
        "CREATE OR REPLACE FUNCTION shout(t text) RETURNS text LANGUAGE sql AS $$ SELECT upper(t) || '!' $$",
        "ALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%')",
        "ALTER TABLE users ALTER COLUMN note SET DEFAULT ''",
        "CREATE INDEX users_note ON users (note)",
        "ALTER TABLE users ALTER COLUMN mood SET NOT NULL",
        "CREATE SCHEMA audit",
        "COMMENT ON FUNCTION shout(text) IS 'loud'",
    };

    [Fact]
    public async Task Gives_back_the_cached_snapshot_while_nothing_changes()
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await using var connection = await DatabaseConnector.OpenAsync(scratch.Database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, Setup);
        var first = await SchemaSnapshotCache.ReadAsync(connection, scratch.Database, SchemaReadOptions.Default, CancellationToken.None);
        var second = await SchemaSnapshotCache.ReadAsync(connection, scratch.Database, SchemaReadOptions.Default, CancellationToken.None);
        Assert.Same(first.Tables, second.Tables);
        Assert.Equal(first.Fingerprint, second.Fingerprint);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Reads_again_after_any_change(string ddl)
    {
        await using var scratch = await fixture.NewDatabaseAsync();
        await using var connection = await DatabaseConnector.OpenAsync(scratch.Database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, Setup);
        var before = await SchemaSnapshotCache.ReadAsync(connection, scratch.Database, SchemaReadOptions.Default, CancellationToken.None);

        await ExecuteAsync(connection, ddl);
        var cached = await SchemaSnapshotCache.ReadAsync(connection, scratch.Database, SchemaReadOptions.Default, CancellationToken.None);
        var full = await SchemaReader.ReadAsync(connection, scratch.Database, SchemaReadOptions.Default, CancellationToken.None);

        Assert.NotEqual(before.Fingerprint, full.Fingerprint);
        Assert.Equal(full.Fingerprint, cached.Fingerprint);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
