using System.Text.RegularExpressions;
using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// The table that records applied migrations, in a schema of its own (omegadb by default) so
/// that schema snapshots leave it out. Its name is overridable for teams with naming rules.
/// </summary>
public sealed partial record HistoryTable(string Schema, string Table)
{
    public const string DefaultSchema = "omegadb";
    public const string DefaultTable = "migration_history";
    public const string InvalidHistoryTableErrorId = "OmegaDb.InvalidHistoryTable";

    public static HistoryTable Default { get; } = new(DefaultSchema, DefaultTable);

    public string QualifiedName => $"{Quote(Schema)}.{Quote(Table)}";

    public override string ToString() => $"{Schema}.{Table}";

    /// <summary><c>schema.table</c> or <c>table</c> (in the omegadb schema); plain identifiers only.</summary>
    public static HistoryTable Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Default;
        }

        var parts = text.Split('.');
        if (parts.Length > 2 || parts.Any(p => !Identifier().IsMatch(p)))
        {
            throw new OmegaException(InvalidHistoryTableErrorId, OmegaErrorCategory.InvalidArgument,
                $"'{text}' is not a history table name: use table or schema.table, each a plain identifier of letters, digits and underscores (at most 63).", text);
        }

        return parts.Length == 2 ? new HistoryTable(parts[0], parts[1]) : new HistoryTable(DefaultSchema, parts[0]);
    }

    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var sql = $"""
            CREATE SCHEMA IF NOT EXISTS {Quote(Schema)};
            CREATE TABLE IF NOT EXISTS {QualifiedName} (
                version bigint PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                applied_by text NOT NULL DEFAULT current_user,
                duration_ms bigint NOT NULL,
                transactional boolean NOT NULL DEFAULT true
            );
            COMMENT ON TABLE {QualifiedName} IS 'Migrations applied by OmegaDb (Invoke-OmegaMigration); do not edit by hand.';
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The applied migrations, oldest first; none when the table does not exist yet.</summary>
    public async Task<IReadOnlyList<HistoryEntry>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection))
        {
            exists.Parameters.AddWithValue("name", QualifiedName);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return [];
            }
        }

        await using var command = new NpgsqlCommand(
            $"SELECT version, name, checksum, applied_at, applied_by, duration_ms FROM {QualifiedName} ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<HistoryEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new HistoryEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4), TimeSpan.FromMilliseconds(reader.GetInt64(5))));
        }

        return entries;
    }

    public async Task InsertAsync(NpgsqlConnection connection, long version, string name, string checksum, TimeSpan duration,
        bool transactional, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { InsertCommand(version, name, checksum, duration, transactional) } };
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The history row's INSERT as a batch command, to ride along with the schema read that follows it.</summary>
    public NpgsqlBatchCommand InsertCommand(long version, string name, string checksum, TimeSpan duration, bool transactional)
    {
        var command = new NpgsqlBatchCommand(
            $"INSERT INTO {QualifiedName} (version, name, checksum, duration_ms, transactional) VALUES ($1, $2, $3, $4, $5)");
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        command.Parameters.Add(new NpgsqlParameter { Value = checksum });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)duration.TotalMilliseconds });
        command.Parameters.Add(new NpgsqlParameter { Value = transactional });
        return command;
    }

    public async Task DeleteAsync(NpgsqlConnection connection, long version, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"DELETE FROM {QualifiedName} WHERE version = @version", connection);
        command.Parameters.AddWithValue("version", version);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}

/// <summary>One row of the history table.</summary>
public sealed record HistoryEntry(long Version, string Name, string Checksum, DateTimeOffset AppliedAt, string AppliedBy, TimeSpan Duration);
