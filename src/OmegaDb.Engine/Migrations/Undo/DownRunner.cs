using System.Diagnostics;
using Npgsql;
using OmegaDb.Schema;

namespace OmegaDb.Migrations;

/// <summary>
/// Undoes one migration for real: its down section in one transaction with the deletion of
/// its history row (retried whole on a lock timeout), or, for a no-transaction migration,
/// statement by statement with the history row removed once they all ran.
/// </summary>
internal static class DownRunner
{
    public static Task<OmegaMigrationResult> UndoAsync(MigrationSession session, StatementPlan plan, OmegaSchema before,
        IReadOnlyList<OmegaDataLoss> losses, CancellationToken cancellationToken) =>
        plan.Script.Transactional
            ? InTransactionAsync(session, plan, before, losses, cancellationToken)
            : WithoutTransactionAsync(session, plan, before, losses, cancellationToken);

    private static async Task<OmegaMigrationResult> InTransactionAsync(MigrationSession session, StatementPlan plan, OmegaSchema before,
        IReadOnlyList<OmegaDataLoss> losses, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var retries = options.EffectiveRetryCount;
        for (var attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Timeouts.SetAsync(session.Connection, options, local: true, cancellationToken).ConfigureAwait(false);
                var footprint = await TransactionFootprint.CaptureAsync(session.Connection, options.History, cancellationToken).ConfigureAwait(false);
                await session.RunStatementsAsync(plan, cancellationToken).ConfigureAwait(false);
                await options.History.DeleteAsync(session.Connection, plan.Script.Version, cancellationToken).ConfigureAwait(false);
                var measured = await footprint.MeasureAsync(session.Connection, cancellationToken).ConfigureAwait(false);
                var (locks, rewritten) = (measured.Locks, measured.Rewritten);
                var after = await session.SchemaAfterAsync(plan, before, measured, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return MigrationResults.For(options.Database, plan, MigrationResultStatus.Undone, clock.Elapsed, attempt) with
                {
                    Locks = locks, RewrittenTables = rewritten, Schema = after, Changes = SchemaComparer.Compare(before, after), DataLoss = losses,
                };
            }
            catch (MigrationStatementException failure)
            {
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                if (failure.IsLockTimeout && attempt <= retries)
                {
                    await session.BackOffAsync(plan, attempt, retries, failure, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return MigrationResults.For(options.Database, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                {
                    DataLoss = losses, Error = MigrationSession.WithAttempts(failure.Error, attempt, failure.IsLockTimeout),
                };
            }
            catch (PostgresException pg)
            {
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                return MigrationResults.For(options.Database, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                {
                    DataLoss = losses, Error = MigrationSession.AfterStatementsError(plan.Script, pg),
                };
            }
        }
    }

    private static async Task<OmegaMigrationResult> WithoutTransactionAsync(MigrationSession session, StatementPlan plan, OmegaSchema before,
        IReadOnlyList<OmegaDataLoss> losses, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var connection = session.Connection;
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>(plan.Warnings)
        {
            "Undone outside a transaction (-- omega:no-transaction): locks are held only while each statement runs and are not listed.",
        };
        var footprint = await TransactionFootprint.CaptureAsync(connection, options.History, cancellationToken).ConfigureAwait(false);
        await Timeouts.SetAsync(connection, options, local: false, cancellationToken).ConfigureAwait(false);
        var tally = new StatementTally();
        try
        {
            await session.RunOneByOneAsync(plan, tally, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationStatementException failure)
        {
            await Timeouts.ResetAsync(connection, CancellationToken.None).ConfigureAwait(false);
            if (tally.Ran > 0)
            {
                warnings.Add($"{tally.Ran} statement(s) of its down section before the failing one ran outside a transaction and stay applied; its history row stays. Finish the undo by hand or fix forward.");
            }

            var afterFailure = await SchemaReader.ReadAsync(connection, options.Database, session.ReadOptions, cancellationToken).ConfigureAwait(false);
            return MigrationResults.For(options.Database, plan, MigrationResultStatus.Failed, clock.Elapsed, tally.Attempts) with
            {
                DataLoss = losses, Error = MigrationSession.WithAttempts(failure.Error, tally.Attempts, failure.IsLockTimeout), Warnings = warnings,
                Schema = afterFailure, Changes = SchemaComparer.Compare(before, afterFailure),
            };
        }

        await Timeouts.ResetAsync(connection, cancellationToken).ConfigureAwait(false);
        await options.History.DeleteAsync(connection, plan.Script.Version, cancellationToken).ConfigureAwait(false);
        var rewritten = await footprint.RewrittenAsync(connection, cancellationToken).ConfigureAwait(false);
        var after = await SchemaReader.ReadAsync(connection, options.Database, session.ReadOptions, cancellationToken).ConfigureAwait(false);
        return MigrationResults.For(options.Database, plan, MigrationResultStatus.Undone, clock.Elapsed, tally.Attempts) with
        {
            Warnings = warnings, RewrittenTables = rewritten, Schema = after, Changes = SchemaComparer.Compare(before, after), DataLoss = losses,
        };
    }
}
