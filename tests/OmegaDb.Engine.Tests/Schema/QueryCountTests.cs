using System.Text;
using System.Text.RegularExpressions;
using OmegaDb.Connections;
using OmegaDb.Tests.Sandboxes;
using Xunit.Abstractions;

namespace OmegaDb.Tests.Schema;

/// <summary>
/// The number of statements a read sends does not grow with the schema. Counted by the
/// server itself: with log_statement = all, PostgreSQL logs every statement it executes,
/// batched or not, on whichever connection.
/// </summary>
public sealed partial class QueryCountTests(SandboxFixture fixture, ITestOutputHelper output) : IClassFixture<SandboxFixture>
{
    // The sandbox's log_line_prefix is '%m [%p] '.
    [GeneratedRegex(@"\[(?<pid>\d+)\] LOG:  (?:statement|execute [^:]*): ")]
    private static partial Regex StatementLine();

    private string LogFile => Path.Combine(Path.GetDirectoryName(fixture.Sandbox.DataDirectory)!, "server.log");

    [Fact]
    public async Task Reading_on_a_callers_connection_sends_as_many_statements_for_200_tables_as_for_1()
    {
        await using var small = await NewSchemaAsync(tables: 1);
        await using var large = await NewSchemaAsync(tables: 200);

        var forSmall = await CountOnConnectionAsync(small.Database);
        var forLarge = await CountOnConnectionAsync(large.Database);

        output.WriteLine($"statements on the caller's connection: {forSmall} for 1 table, {forLarge} for 200 tables");
        Assert.InRange(forSmall, 12, 20);
        Assert.Equal(forSmall, forLarge);
    }

    [Fact]
    public async Task Reading_on_its_own_connections_sends_as_many_statements_for_200_tables_as_for_1()
    {
        await using var small = await NewSchemaAsync(tables: 1);
        await using var large = await NewSchemaAsync(tables: 200);

        var forSmall = await CountOnOwnConnectionsAsync(small.Database);
        var forLarge = await CountOnOwnConnectionsAsync(large.Database);

        output.WriteLine($"statements on the reader's own connections: {forSmall} for 1 table, {forLarge} for 200 tables");
        Assert.InRange(forSmall, 12, 30);
        Assert.Equal(forSmall, forLarge);
    }

    private async Task<int> CountOnConnectionAsync(OmegaDatabase database)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await SchemaTestSupport.ExecuteAsync(connection, "SET log_statement = 'all'");
        var pid = connection.ProcessID.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = new FileInfo(LogFile).Length;

        var schema = await SchemaTestSupport.ReadAsync(connection, database);

        Assert.NotEmpty(schema.Tables);
        return Report(StatementsSince(start).Where(line => line.Pid == pid).ToList());
    }

    /// <summary>
    /// Counts every statement the server ran on any connection while the reader worked; this
    /// class's sandbox serves no one else meanwhile. A first, uncounted read fills the
    /// connection pool and Npgsql's type cache, which are per data source, not per read.
    /// </summary>
    private async Task<int> CountOnOwnConnectionsAsync(OmegaDatabase database)
    {
        await SchemaTestSupport.ExecuteAsync(fixture.Sandbox, $"ALTER DATABASE \"{database.Database}\" SET log_statement = 'all'");
        await SchemaTestSupport.ReadAsync(database);
        var start = new FileInfo(LogFile).Length;

        var schema = await SchemaTestSupport.ReadAsync(database);

        Assert.NotEmpty(schema.Tables);
        return Report(StatementsSince(start));
    }

    /// <summary>Shows what was counted, for whoever reads a failure.</summary>
    private int Report(List<(string Pid, string Line)> statements)
    {
        foreach (var (_, line) in statements)
        {
            output.WriteLine(line.Length > 120 ? line[..120] : line);
        }

        return statements.Count;
    }

    private List<(string Pid, string Line)> StatementsSince(long offset)
    {
        using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statements = new List<(string Pid, string Text)>();
        while (reader.ReadLine() is { } line)
        {
            if (StatementLine().Match(line) is { Success: true } match)
            {
                statements.Add((match.Groups["pid"].Value, line));
            }
            else if (line.StartsWith('\t') && statements.Count > 0)
            {
                statements[^1] = (statements[^1].Pid, statements[^1].Text + "\n" + line);
            }
        }

        // Npgsql loads the server's types once per physical connection it opens, which a pool
        // may do during any read: that is not the reader's doing, and not counted.
        return statements.Where(s => !s.Text.Contains("pg_type AS typ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>A database shaped like the benchmark's: columns of many types, defaults, checks, indexes, a foreign key chain, comments.</summary>
    private async Task<ScratchDatabase> NewSchemaAsync(int tables)
    {
        var scratch = await fixture.NewDatabaseAsync();
        var ddl = new StringBuilder("""
            CREATE SCHEMA app;
            CREATE TYPE app.status AS ENUM ('draft', 'active');
            CREATE SEQUENCE app.numbers;
            CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;

            """);
        for (var t = 1; t <= tables; t++)
        {
            var parent = t > 1 ? $"REFERENCES app.t{t - 1} (id)" : string.Empty;
            ddl.Append($"""
                CREATE TABLE app.t{t} (
                    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    parent_id bigint {parent},
                    code text NOT NULL DEFAULT 'T-' || nextval('app.numbers'),
                    status app.status NOT NULL DEFAULT 'draft',
                    amount numeric(12,2) CHECK (amount >= 0),
                    created_at timestamptz NOT NULL DEFAULT now(),
                    attributes jsonb);
                CREATE INDEX t{t}_parent ON app.t{t} (parent_id);
                CREATE INDEX t{t}_attributes ON app.t{t} USING gin (attributes);
                CREATE UNIQUE INDEX t{t}_code ON app.t{t} (code) WHERE status = 'active';
                COMMENT ON TABLE app.t{t} IS 'Table {t}';
                COMMENT ON COLUMN app.t{t}.code IS 'Business key';
                CREATE TRIGGER t{t}_touch BEFORE UPDATE ON app.t{t} FOR EACH ROW EXECUTE FUNCTION app.touch();
                CREATE VIEW app.v{t} AS SELECT id, code FROM app.t{t};

                """);
        }

        await SchemaTestSupport.ExecuteAsync(scratch.Database, ddl.ToString());
        return scratch;
    }
}
