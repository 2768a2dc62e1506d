using System.Globalization;
using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// lock_timeout and statement_timeout for a migration's own statements: SET LOCAL inside its
/// transaction, or a session SET (reset afterwards) for a no-transaction migration.
/// </summary>
internal static class Timeouts
{
    public static async Task SetAsync(NpgsqlConnection connection, IMigrationSessionOptions request, bool local, CancellationToken cancellationToken)
    {
        // Only what was asked for: a role's own defaults stay in force otherwise.
        var settings = new List<string>();
        await using var command = new NpgsqlCommand { Connection = connection };
        if (request.EffectiveLockTimeout is { } lockTimeout)
        {
            settings.Add($"set_config('lock_timeout', @lock, {(local ? "true" : "false")})");
            command.Parameters.AddWithValue("lock", Milliseconds(lockTimeout));
        }

        if (request.StatementTimeout is { } statementTimeout)
        {
            settings.Add($"set_config('statement_timeout', @statement, {(local ? "true" : "false")})");
            command.Parameters.AddWithValue("statement", Milliseconds(statementTimeout));
        }

        if (settings.Count == 0)
        {
            return;
        }

        command.CommandText = "SELECT " + string.Join(", ", settings);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task ResetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("RESET lock_timeout; RESET statement_timeout", connection);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException)
        {
            // An aborted session state is cleaned up when the connection closes.
        }
    }

    // At least 1 ms: 0 would turn the timeout off.
    private static string Milliseconds(TimeSpan value) =>
        Math.Max(1L, (long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
