using Npgsql;
using NpgsqlTypes;

namespace OmegaDb.Schema;

/// <summary>Builds the batched commands of a schema read: one round trip carries several catalog queries.</summary>
internal static class CatalogBatch
{
    public static NpgsqlBatch Create(NpgsqlConnection connection, params NpgsqlBatchCommand[] commands)
    {
        var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        return batch;
    }

    public static NpgsqlBatchCommand Command(string sql) => new(sql);

    /// <summary>A query whose parameters ($1, $2...) are lists of oids.</summary>
    public static NpgsqlBatchCommand Command(string sql, params uint[][] oidLists)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var oids in oidLists)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = oids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid });
        }

        return command;
    }

    public static NpgsqlBatchCommand Command(string sql, string text)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = text, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }
}
