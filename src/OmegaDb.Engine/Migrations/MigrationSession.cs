using Npgsql;
using OmegaDb.Schema;

namespace OmegaDb.Migrations;

/// <summary>
/// The connection a run of migrations (or of their down sections) works on, with what every
/// step needs around it: the idle lock connection that the blocker probe looks around from,
/// the schema read options, and the progress sink. Holds the steps that applying and undoing
/// share: running a plan's statements, reading the schema after them, backing off after a
/// lock timeout, rolling back quietly.
/// </summary>
internal sealed record MigrationSession(IMigrationSessionOptions Options, NpgsqlConnection Connection, NpgsqlConnection Monitor,
    SchemaReadOptions ReadOptions, IProgress<string> Progress)
{
    /// <summary>A transactional section's statements, in one round trip.</summary>
    public async Task RunStatementsAsync(StatementPlan plan, CancellationToken cancellationToken) =>
        await StatementRunner.ExecuteAllAsync(Connection, Monitor, plan.Script, plan.Steps.Select(s => s.Run).ToList(), cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// A no-transaction section (CREATE INDEX CONCURRENTLY and the like): statement by
    /// statement, each retried alone on a lock timeout. <paramref name="tally"/> counts the
    /// statements that ran and the attempts made, and still holds them when one fails.
    /// </summary>
    public async Task RunOneByOneAsync(StatementPlan plan, StatementTally tally, CancellationToken cancellationToken)
    {
        var retries = Options.EffectiveRetryCount;
        foreach (var step in plan.Steps)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await StatementRunner.ExecuteAsync(Connection, Monitor, plan.Script, step.Run, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (MigrationStatementException failure) when (failure.IsLockTimeout && attempt <= retries)
                {
                    tally.Attempts++;
                    await BackOffAsync(plan, attempt, retries, failure, cancellationToken).ConfigureAwait(false);
                }
            }

            tally.Ran++;
        }
    }

    /// <summary>
    /// The schema after a migration, inside its transaction: only the relations it touched are
    /// read again when its statements allow (a run of many small migrations would otherwise
    /// spend most of its time re-reading everything), the whole schema otherwise.
    /// </summary>
    /// <param name="along">A command without results to run first (the history row), in the read's first round trip when it can be.</param>
    public async Task<OmegaSchema> SchemaAfterAsync(StatementPlan plan, OmegaSchema previous, FootprintMeasurement measured, CancellationToken cancellationToken,
        NpgsqlBatchCommand? along = null)
    {
        if (!plan.IncrementalCapture)
        {
            if (along is not null)
            {
                await using var batch = new NpgsqlBatch(Connection) { BatchCommands = { along } };
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return await SchemaReader.ReadAsync(Connection, Options.Database, ReadOptions, cancellationToken).ConfigureAwait(false);
        }

        return await IncrementalSchemaReader.ReadAsync(Connection, Options.Database, ReadOptions, previous, plan.ScopeAfter(measured), cancellationToken,
            along is null ? null : [along]).ConfigureAwait(false);
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task BackOffAsync(StatementPlan plan, int attempt, int retries, MigrationStatementException failure, CancellationToken cancellationToken)
    {
        // 1 s, 2 s, 4 s ... up to 30 s, with jitter so that retrying runs do not line up again.
        var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 1000 * Math.Pow(2, attempt - 1)) * (0.75 + Random.Shared.NextDouble() * 0.5));
        Progress.Report(
            $"{plan.Script.Version} {plan.Script.Name}: {failure.Error.Message}. Rolled back; retry {attempt} of {retries} in {delay.TotalSeconds:0.0} s");
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rolls back, unless the session is already gone (ended, or the connection broke): the server rolled back then.</summary>
    public static async Task RollbackQuietlyAsync(NpgsqlTransaction transaction)
    {
        try
        {
            if (transaction.Connection is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
        }
    }

    public static OmegaMigrationError AfterStatementsError(MigrationScript script, PostgresException pg) => new()
    {
        SqlState = pg.SqlState,
        Message = SecretScrubber.Scrub($"its statements ran, but recording it (its locks, its history row, the schema after it) failed: {pg.MessageText}"),
        Detail = pg.Detail is null ? null : SecretScrubber.Scrub(pg.Detail),
        Hint = pg.Hint,
        File = script.Path,
    };

    public static OmegaMigrationError WithAttempts(OmegaMigrationError error, int attempts, bool lockTimeout) =>
        lockTimeout && attempts > 1
            ? new OmegaMigrationError
            {
                SqlState = error.SqlState, Detail = error.Detail, Hint = error.Hint, File = error.File, Line = error.Line, Column = error.Column,
                Statement = error.Statement,
                Message = $"{error.Message} (gave up after {attempts} attempts, each waiting for the lock timeout)",
            }
            : error;
}

/// <summary>What a no-transaction section got through: statements that ran (and stay), and attempts made.</summary>
internal sealed class StatementTally
{
    public int Ran { get; set; }

    public int Attempts { get; set; } = 1;
}
