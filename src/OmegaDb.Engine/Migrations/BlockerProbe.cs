using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// Watches, from the lock connection, whether a running statement waits for another session's
/// lock, and remembers who that session is: after a lock timeout the server only says that it
/// timed out, not who was in the way.
/// </summary>
internal sealed class BlockerProbe : IAsyncDisposable
{
    private static readonly TimeSpan FirstLook = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private BlockerProbe(NpgsqlConnection monitor, int pid)
    {
        // It starts with a delay, so nothing runs on a thread until the first look: most
        // statements are done before then, and a run of many migrations starts one per migration.
        _loop = WatchAsync(monitor, pid, _stop.Token);
    }

    /// <summary>The last session seen blocking the statement, described for a person; null if none was seen.</summary>
    public string? Blocker { get; private set; }

    public static BlockerProbe Start(NpgsqlConnection monitor, int pid) => new(monitor, pid);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task WatchAsync(NpgsqlConnection monitor, int pid, CancellationToken cancellationToken)
    {
        await Task.Delay(FirstLook, cancellationToken).ConfigureAwait(false);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Blocker = await DescribeAsync(monitor, pid, cancellationToken).ConfigureAwait(false) ?? Blocker;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                return; // The probe only adds detail to a message; never fail the migration for it.
            }

            await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string?> DescribeAsync(NpgsqlConnection monitor, int pid, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT b.pid, coalesce(b.application_name, ''), coalesce(b.usename::text, '?'), coalesce(b.state, '?'),
                   to_char(b.xact_start, 'YYYY-MM-DD HH24:MI:SS TZ'), left(regexp_replace(coalesce(b.query, ''), '\s+', ' ', 'g'), 120),
                   (SELECT string_agg(DISTINCT w.relation::regclass::text, ', ') FROM pg_locks w
                     WHERE w.pid = @pid AND NOT w.granted AND w.relation IS NOT NULL)
              FROM unnest(pg_blocking_pids(@pid)) AS bp(pid)
              JOIN pg_stat_activity b ON b.pid = bp.pid
             ORDER BY b.xact_start NULLS LAST
             LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, monitor);
        command.Parameters.AddWithValue("pid", pid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var relation = reader.IsDBNull(6) ? "a lock" : $"a lock on {reader.GetString(6)}";
        var since = reader.IsDBNull(4) ? string.Empty : $", in a transaction since {reader.GetString(4)}";
        return $"waited for {relation} held by pid {reader.GetInt32(0)} ('{reader.GetString(1)}', user {reader.GetString(2)}, {reader.GetString(3)}{since}, last query: {reader.GetString(5)})";
    }
}
