using System.Diagnostics;
using Npgsql;
using OmegaDb.Schema;

namespace OmegaDb.Migrations;

/// <summary>
/// Runs the down sections of an undo, newest first, in one transaction that is always rolled
/// back, counting right before each statement what it destroys: a later down that drops a
/// table an earlier down altered is measured against the table as the earlier down left it.
/// This is both -DryRun (with <c>capture</c>: each result's schema, changes, locks and
/// rewrites) and the measurement that a real undo makes before anything runs. A
/// no-transaction down runs here in its rehearsable form (CONCURRENTLY dropped); on the real
/// run it goes statement by statement.
/// </summary>
internal static class UndoRehearsal
{
    public const string FailedErrorId = "OmegaDb.UndoFailed";

    public static async Task<MigrationRunOutcome> RunAsync(MigrationSession session, IReadOnlyList<UndoTarget> targets, IReadOnlyList<StatementPlan> plans,
        OmegaSchema before, bool capture, CancellationToken cancellationToken)
    {
        var options = session.Options;
        var retries = options.EffectiveRetryCount;
        for (var attempt = 1; ; attempt++)
        {
            var results = new List<OmegaMigrationResult>();
            await using var transaction = await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Timeouts.SetAsync(session.Connection, options, local: true, cancellationToken).ConfigureAwait(false);
                var current = before;
                for (var i = 0; i < plans.Count; i++)
                {
                    var (target, plan) = (targets[i], plans[i]);
                    session.Progress.Report(capture
                        ? $"Rehearsing the undo of {plan.Script.Version} {plan.Script.Name} (dry run)"
                        : $"Measuring what undoing {plan.Script.Version} {plan.Script.Name} destroys");
                    var clock = Stopwatch.StartNew();
                    var footprint = capture
                        ? await TransactionFootprint.CaptureAsync(session.Connection, options.History, cancellationToken).ConfigureAwait(false)
                        : null;
                    if (footprint is not null)
                    {
                        // One transaction for every down: locks the earlier ones took are not this one's.
                        await footprint.RememberHeldLocksAsync(session.Connection, cancellationToken).ConfigureAwait(false);
                    }

                    var losses = new List<OmegaDataLoss>();
                    try
                    {
                        foreach (var step in plan.Steps)
                        {
                            if (DataLossTargetFinder.Find(step.Statement) is { } lossTarget)
                            {
                                losses.AddRange(await DataLossMeter.MeasureAsync(session.Connection, lossTarget, target.Label, cancellationToken).ConfigureAwait(false));
                            }

                            await StatementRunner.ExecuteAsync(session.Connection, session.Monitor, plan.Script, step.Run, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    catch (MigrationStatementException failure) when (!(failure.IsLockTimeout && attempt <= retries))
                    {
                        results.Add(MigrationResults.For(options.Database, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                        {
                            DataLoss = losses, Error = MigrationSession.WithAttempts(failure.Error, attempt, failure.IsLockTimeout),
                        });
                        return new MigrationRunOutcome { Results = results, Failure = UndoResults.FailureOf(options.Database, results[^1], rehearsal: true) };
                    }

                    try
                    {
                        await options.History.DeleteAsync(session.Connection, plan.Script.Version, cancellationToken).ConfigureAwait(false);
                        var result = MigrationResults.For(options.Database, plan, MigrationResultStatus.DryRun, clock.Elapsed, attempt) with { DataLoss = losses };
                        if (footprint is not null)
                        {
                            var measured = await footprint.MeasureAsync(session.Connection, cancellationToken).ConfigureAwait(false);
                            var after = await session.SchemaAfterAsync(plan, current, measured, cancellationToken).ConfigureAwait(false);
                            result = result with
                            {
                                Locks = measured.Locks, RewrittenTables = measured.Rewritten, Schema = after, Changes = SchemaComparer.Compare(current, after),
                            };
                            current = after;
                        }

                        results.Add(result);
                    }
                    catch (PostgresException pg)
                    {
                        results.Add(MigrationResults.For(options.Database, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                        {
                            DataLoss = losses, Error = MigrationSession.AfterStatementsError(plan.Script, pg),
                        });
                        return new MigrationRunOutcome { Results = results, Failure = UndoResults.FailureOf(options.Database, results[^1], rehearsal: true) };
                    }
                }

                return new MigrationRunOutcome { Results = results };
            }
            catch (MigrationStatementException failure) when (failure.IsLockTimeout && attempt <= retries)
            {
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                await session.BackOffAsync(plans[results.Count], attempt, retries, failure, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Never committed: the measurement and the dry run leave the database as they found it.
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
            }
        }
    }
}
