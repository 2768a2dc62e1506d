using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;

namespace OmegaDb.Tests.Schema;

/// <summary>Small helpers the schema tests share: run DDL, read a schema.</summary>
internal static class SchemaTestSupport
{
    /// <summary>Runs a script as one command: its statements run in one implicit transaction.</summary>
    public static async Task ExecuteAsync(OmegaDatabase database, string sql)
    {
        await using var connection = await DatabaseConnector.OpenAsync(database, CancellationToken.None, pooling: false);
        await ExecuteAsync(connection, sql);
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public static Task<OmegaSchema> ReadAsync(OmegaDatabase database, SchemaReadOptions? options = null) =>
        SchemaReader.ReadAsync(database, options ?? SchemaReadOptions.Default, CancellationToken.None);

    public static Task<OmegaSchema> ReadAsync(NpgsqlConnection connection, OmegaDatabase? database = null, SchemaReadOptions? options = null) =>
        SchemaReader.ReadAsync(connection, database, options ?? SchemaReadOptions.Default, CancellationToken.None);

    /// <summary>The snapshot's content as Export-OmegaSchema writes it, without the header (database, time, fingerprint).</summary>
    public static string Content(OmegaSchema schema) => SchemaJson.Serialize(new OmegaSchema
    {
        Schemas = schema.Schemas, Tables = schema.Tables, Views = schema.Views, Sequences = schema.Sequences,
        Types = schema.Types, Functions = schema.Functions, Extensions = schema.Extensions,
    });

    /// <summary>The same server and database as another role.</summary>
    public static OmegaDatabase As(OmegaDatabase database, string user, string password) =>
        new(database.Settings with { User = user, Password = password });

    public static bool ContribAvailable(string extension) =>
        Directory.EnumerateDirectories("/usr/share/postgresql").Any(d => File.Exists(Path.Combine(d, "extension", extension + ".control")));

    public static T Single<T>(IEnumerable<T> items, Func<T, string> name, string wanted) =>
        Assert.Single(items, i => name(i) == wanted);
}
