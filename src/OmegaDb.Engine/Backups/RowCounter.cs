using System.Text;
using Npgsql;

namespace OmegaDb.Backups;

/// <summary>
/// Exact row counts (count(*)) of every table whose rows pg_dump dumps: ordinary tables and
/// leaf partitions outside the system schemas, not the tables an extension owns. Keyed
/// "schema.table", unquoted. Reads whatever the connection's transaction sees, so inside a
/// transaction that shares pg_dump's snapshot the counts are those of the dump.
/// </summary>
public static class RowCounter
{
    /// <summary>One statement counts this many tables, keeping a 1000-table database to a few round trips.</summary>
    private const int TablesPerStatement = 250;

    private const string ListTables = """
        SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname), coalesce(pg_catalog.pg_relation_size(c.oid) = 0, false)
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind = 'r'
           AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid AND d.deptype = 'e')
         ORDER BY 1, 2
        """;

    public const string CountFailedErrorId = "OmegaDb.BackupRowCountFailed";

    public static async Task<IReadOnlyDictionary<string, long>> CountAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            return await CountAllAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw new OmegaException(CountFailedErrorId, ex.SqlState == PostgresErrorCodes.InsufficientPrivilege ? OmegaErrorCategory.PermissionDenied : OmegaErrorCategory.InvalidOperation,
                $"Counting the rows of {connection.Database} failed: {ex.SqlState}: {ex.MessageText}. A backup reads every table, as pg_dump does; use a role that can SELECT from all of them.", connection.Database, ex);
        }
    }

    private static async Task<IReadOnlyDictionary<string, long>> CountAllAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<(string Key, string Quoted)>();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var list = new NpgsqlCommand(ListTables, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var key = reader.GetString(0) + "." + reader.GetString(1);
                if (reader.GetBoolean(3))
                {
                    // No page on disk holds no row, in any snapshot; planning a count(*) would
                    // build the table's and its indexes' cache entries for nothing, which on a
                    // fresh connection costs about a millisecond a table.
                    counts[key] = 0;
                }
                else
                {
                    tables.Add((key, reader.GetString(2)));
                }
            }
        }

        foreach (var chunk in tables.Chunk(TablesPerStatement))
        {
            var sql = new StringBuilder();
            for (var i = 0; i < chunk.Length; i++)
            {
                if (i > 0)
                {
                    sql.Append("\nUNION ALL ");
                }

                // ONLY: a partitioned or inherited parent's rows are counted where pg_dump dumps them, in each child.
                sql.Append("SELECT ").Append(i).Append(", count(*) FROM ONLY ").Append(chunk[i].Quoted);
            }

            await using var command = new NpgsqlCommand(sql.ToString(), connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[chunk[reader.GetInt32(0)].Key] = reader.GetInt64(1);
            }
        }

        return counts;
    }
}
