using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// What every migration session sets up: a name that says who it is in pg_stat_activity (so a
/// waiting run can say who holds the lock), and, where the server has it, a check that the
/// client is still there, so a run whose process died lets go of its locks within seconds
/// instead of when its current statement ends.
/// </summary>
internal static class SessionSettings
{
    public static async Task ApplyAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        var name = $"{role} (pid {Environment.ProcessId} on {Environment.MachineName})";
        if (name.Length > 63)
        {
            name = name[..63];
        }

        var sql = connection.PostgreSqlVersion.Major >= 14
            ? "SELECT set_config('application_name', @name, false), set_config('client_connection_check_interval', '2s', false)"
            : "SELECT set_config('application_name', @name, false)";
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
