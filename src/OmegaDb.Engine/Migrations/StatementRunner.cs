using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// Runs one statement of a migration file and, when the server refuses it, says where in the
/// file: the statement's line and column, moved on by the error position the server gives.
/// </summary>
internal static class StatementRunner
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlConnection? monitor, MigrationScript script, SqlStatement statement,
        CancellationToken cancellationToken)
    {
        await using var batch = Single(connection, statement);
        BlockerProbe? probe = monitor is null ? null : BlockerProbe.Start(monitor, connection.ProcessID);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException pg)
        {
            throw Failure(script, statement, pg, probe?.Blocker);
        }
        finally
        {
            if (probe is not null)
            {
                await probe.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Several statements of one transaction in one round trip: the server runs them in order
    /// and stops at the first error, which names the batch command that failed, so the error
    /// is located exactly as if each had been sent alone. A run of many small migrations
    /// otherwise spends most of its time waiting on the network between statements.
    /// </summary>
    public static async Task ExecuteAllAsync(NpgsqlConnection connection, NpgsqlConnection? monitor, MigrationScript script,
        IReadOnlyList<SqlStatement> statements, CancellationToken cancellationToken)
    {
        if (statements.Count == 1)
        {
            await ExecuteAsync(connection, monitor, script, statements[0], cancellationToken).ConfigureAwait(false);
            return;
        }

        if (statements.Count == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection) { Timeout = 0 };
        foreach (var statement in statements)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Text));
        }

        BlockerProbe? probe = monitor is null ? null : BlockerProbe.Start(monitor, connection.ProcessID);
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException pg)
        {
            throw Failure(script, statements[FailedIndex(batch, pg)], pg, probe?.Blocker);
        }
        finally
        {
            if (probe is not null)
            {
                await probe.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The command the server refused. Npgsql does not always say (PostgresException.BatchCommand
    /// stays empty when the error comes while the batch is being consumed), but it records the
    /// completion of each command that ran: the first command not completed is the one that failed.
    /// </summary>
    private static int FailedIndex(NpgsqlBatch batch, PostgresException pg)
    {
        if (pg.BatchCommand is { } named && batch.BatchCommands.IndexOf(named) is >= 0 and var index)
        {
            return index;
        }

        for (var i = 0; i < batch.BatchCommands.Count; i++)
        {
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
            {
                return i;
            }
        }

        return batch.BatchCommands.Count - 1;
    }

    /// <summary>
    /// One statement of the file, sent as it is. An NpgsqlCommand would have Npgsql split its
    /// text at semicolons it sees at top level, which breaks a BEGIN ATOMIC function body in
    /// two; a batch command goes to the server untouched, and the server refuses one that holds
    /// more than one statement, so what runs is always exactly what the analysis looked at.
    /// </summary>
    public static NpgsqlBatch Single(NpgsqlConnection connection, SqlStatement statement) =>
        new(connection) { BatchCommands = { new NpgsqlBatchCommand(statement.Text) }, Timeout = 0 };

    public static MigrationStatementException Failure(MigrationScript script, SqlStatement statement, PostgresException pg, string? blocker)
    {
        var (line, column) = pg.Position > 0 ? statement.LocationOf(pg.Position) : (statement.Line, statement.Column);
        var message = pg.MessageText;
        if (pg.SqlState == "55P03" && blocker is not null)
        {
            message += $": the statement {blocker}";
        }

        var error = new OmegaMigrationError
        {
            SqlState = pg.SqlState,
            Message = SecretScrubber.Scrub(message),
            Detail = pg.Detail is null ? null : SecretScrubber.Scrub(pg.Detail),
            Hint = pg.Hint,
            File = script.Path,
            Line = line,
            Column = column,
            Statement = Excerpt(statement.Text),
        };
        return new MigrationStatementException(error, pg);
    }

    private static string Excerpt(string text)
    {
        var lines = text.Trim().Split('\n');
        var excerpt = string.Join("\n", lines.Take(3)).TrimEnd();
        return lines.Length > 3 || excerpt.Length > 300 ? excerpt[..Math.Min(excerpt.Length, 300)] + " ..." : excerpt;
    }
}

/// <summary>A migration statement the server refused, located in its file.</summary>
internal sealed class MigrationStatementException(OmegaMigrationError error, PostgresException inner)
    : Exception(error.Message, inner)
{
    public OmegaMigrationError Error { get; } = error;

    public string SqlState => inner.SqlState;

    public bool IsLockTimeout => SqlState == "55P03";
}
