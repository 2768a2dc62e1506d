using System.Diagnostics;
using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Migrations;

/// <summary>
/// The lock that makes concurrent runs apply each migration exactly once: a session-level
/// advisory lock held on a connection of its own, unpooled, so that it is released when this
/// object is disposed or, if the process dies, when the server sees the connection close.
/// </summary>
public sealed class MigrationLock : IAsyncDisposable
{
    public const string LockTimeoutErrorId = "OmegaDb.MigrationLockTimeout";

    // 'OMEG': the first key of every OmegaDb lock, so other applications' advisory locks never collide.
    private const int Namespace = 0x4F4D4547;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly NpgsqlConnection _connection;
    private readonly string _key;
    private bool _released;

    private MigrationLock(NpgsqlConnection connection, string key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>The lock's own connection, idle while the lock is held: the blocker probe looks around from it.</summary>
    internal NpgsqlConnection Connection => _connection;

    /// <summary>Waits up to <paramref name="waitTimeout"/> for the lock, saying who holds it while it waits.</summary>
    public static async Task<MigrationLock> AcquireAsync(OmegaDatabase database, HistoryTable history, TimeSpan waitTimeout,
        IProgress<string> progress, CancellationToken cancellationToken)
    {
        var connection = await DatabaseConnector.OpenAsync(database, cancellationToken, pooling: false).ConfigureAwait(false);
        var key = history.ToString();
        try
        {
            await SessionSettings.ApplyAsync(connection, "OmegaDb migration lock", cancellationToken).ConfigureAwait(false);
            var waited = Stopwatch.StartNew();
            string? lastHolder = null;
            while (true)
            {
                if (await TryLockAsync(connection, key, cancellationToken).ConfigureAwait(false))
                {
                    if (lastHolder is not null)
                    {
                        progress.Report($"Took the migration lock after waiting {waited.Elapsed.TotalSeconds:0.0} s");
                    }

                    return new MigrationLock(connection, key);
                }

                var holder = await DescribeHolderAsync(connection, key, cancellationToken).ConfigureAwait(false);
                if (waited.Elapsed >= waitTimeout)
                {
                    throw new OmegaException(LockTimeoutErrorId, OmegaErrorCategory.ResourceBusy,
                        $"Another migration run holds the migration lock on {database.Name}: {holder}. Gave up after {waitTimeout.TotalSeconds:0.#} s. " +
                        "Wait for it to finish, raise -LockWaitTimeout, or if that session is stuck, end it with pg_terminate_backend(pid).", database);
                }

                if (holder != lastHolder)
                {
                    progress.Report($"Waiting for the migration lock, held by {holder}");
                    lastHolder = holder;
                }

                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@ns, hashtext(@key))", _connection);
            command.Parameters.AddWithValue("ns", Namespace);
            command.Parameters.AddWithValue("key", _key);
            await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection has already lost the lock; closing it below is all that is left.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@ns, hashtext(@key))", connection);
        command.Parameters.AddWithValue("ns", Namespace);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task<string> DescribeHolderAsync(NpgsqlConnection connection, string key, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.pid, a.application_name, a.usename, host(a.client_addr), a.backend_start
              FROM pg_locks l
              JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid::bigint = @ns AND l.objid::bigint = (hashtext(@key)::bigint & 4294967295)
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ns", (long)Namespace);
        command.Parameters.AddWithValue("key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return "a session that has just released it";
        }

        var since = reader.IsDBNull(4) ? "an unknown time" : reader.GetFieldValue<DateTimeOffset>(4).ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture);
        var client = reader.IsDBNull(3) ? "a local socket" : reader.GetString(3);
        return $"pid {reader.GetInt32(0)} ('{(reader.IsDBNull(1) ? string.Empty : reader.GetString(1))}', user {(reader.IsDBNull(2) ? "?" : reader.GetString(2))}, from {client}) since {since}";
    }
}
