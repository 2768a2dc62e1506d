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
