using System.Diagnostics;
using System.Globalization;
using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Rehearsals;
using OmegaDb.Schema;

namespace OmegaDb.Migrations;

/// <summary>
/// Applies pending migrations, or rehearses them in a dry run, under the migration lock:
/// each transactional migration in its own transaction with its verify section and history
/// row; a dry run in one transaction that is always rolled back. Every result carries the
/// schema after the migration, its changes, the locks it took and the tables it rewrote.
/// </summary>
internal static class MigrationRunner
{
    public const string FailedErrorId = "OmegaDb.MigrationFailed";
    public const string RehearsalRequiredErrorId = "OmegaDb.RehearsalRequired";
    public const string DryRunRefusedErrorId = "OmegaDb.DryRunRefused";
    public const string InvalidIndexErrorId = "OmegaDb.InvalidIndex";
    public const string TransactionControlErrorId = "OmegaDb.TransactionControlRefused";

    public static async Task<MigrationRunOutcome> RunAsync(MigrationRunRequest request, IProgress<string> progress,
        CancellationToken cancellationToken)
    {
        var database = request.Database;
        var warnings = new List<string>();
        progress.Report($"Taking the migration lock on {database.Name}");
        // The work connection opens while the lock is taken: two connection handshakes
        // (authentication included) one after the other are a large part of a short run.
        var opening = OpenWorkConnectionAsync(database, request.DryRun, cancellationToken);
        MigrationLock migrationLock;
        try
        {
            migrationLock = await MigrationLock.AcquireAsync(database, request.History, request.LockWaitTimeout, progress, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            try
            {
                await (await opening.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OmegaException or NpgsqlException or OperationCanceledException or TimeoutException)
            {
                // The lock's failure is the one to report.
            }

            throw;
        }

        await using var lockHeld = migrationLock;
        await using var connection = await opening.ConfigureAwait(false);

        // Read only now, under the lock: a run that waited must see what the run before it applied.
        var history = await request.History.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var catalog = MigrationCatalog.Describe(request.Scripts, history, database);
        MigrationCatalog.ThrowIfModified(catalog, database);
        foreach (var missing in catalog.Where(m => m.Status == MigrationStatus.Missing))
        {
            warnings.Add($"Migration {missing.Version} ({missing.Name}) is recorded as applied on {database.Name} but its file is not in the folder.");
        }

        var pendingVersions = catalog.Where(m => m.Status == MigrationStatus.Pending && (request.To is null || m.Version <= request.To))
            .Select(m => m.Version).ToHashSet();
        var pending = request.Scripts.Where(s => pendingVersions.Contains(s.Version)).OrderBy(s => s.Version).ToList();
        if (pending.Count == 0)
        {
            progress.Report($"{database.Name} is up to date");
            return new MigrationRunOutcome { Warnings = warnings };
        }

        var newestApplied = history.Count == 0 ? (long?)null : history.Max(h => h.Version);
        foreach (var late in pending.Where(p => p.Version < newestApplied))
        {
            warnings.Add($"Migration {late.Version} ({late.Name}) is older than the newest applied one ({newestApplied}); it runs now, out of order.");
        }

        var plans = pending.Select(s => StatementPlan.For(s, request.DryRun)).ToList();
        TransactionControlGuard.ThrowIfAny(plans, database, request.DryRun);

        var readOptions = new SchemaReadOptions { ExcludedSchemas = [SchemaReadOptions.HistorySchema, request.History.Schema] };
        progress.Report($"Reading the schema of {database.Name}");
        var (before, signature) = await SchemaSnapshotCache.ReadWithSignatureAsync(connection, database, readOptions, cancellationToken).ConfigureAwait(false);
        ThrowIfInvalidIndexWouldBeKept(before, pending, database, warnings);

        string? gate = null;
        if (database.IsProduction && !request.DryRun)
        {
            gate = CheckRehearsal(request, before, pending);
            progress.Report(gate);
        }

        if (!request.DryRun)
        {
            await request.History.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
        }

        var context = new RunContext(request, connection, migrationLock.Connection, readOptions, progress, ($"{database.Host}:{database.Port}/{database.Database}", signature));
        var outcome = request.DryRun
            ? await DryRunAsync(context, plans, before, cancellationToken).ConfigureAwait(false)
            : await ApplyAsync(context, plans, before, cancellationToken).ConfigureAwait(false);

        // A dry run that had to leave statements out did not rehearse the whole migration, so
        // it does not count towards the production gate.
        var leftOut = plans.Sum(p => p.LeftOut);
        if (leftOut > 0 && database is OmegaSandbox)
        {
            warnings.Add($"Not recorded as a rehearsal: {leftOut} statement(s) could not run in the dry run's transaction. Rehearse with a real run on the sandbox.");
        }
        else if (outcome.Failure is null && database is OmegaSandbox sandbox && request.Rehearsals is not null)
        {
            await RecordRehearsalAsync(request.Rehearsals, sandbox, before, outcome.Results, request.DryRun, cancellationToken).ConfigureAwait(false);
        }

        return outcome with { Warnings = [.. warnings, .. outcome.Warnings], GateDecision = gate };
    }

    private static async Task<NpgsqlConnection> OpenWorkConnectionAsync(OmegaDatabase database, bool dryRun, CancellationToken cancellationToken)
    {
        var connection = await DatabaseConnector.OpenAsync(database, cancellationToken, pooling: false).ConfigureAwait(false);
        try
        {
            await SessionSettings.ApplyAsync(connection, dryRun ? "OmegaDb dry run" : "OmegaDb migration", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<MigrationRunOutcome> ApplyAsync(RunContext context, IReadOnlyList<StatementPlan> plans, OmegaSchema before,
        CancellationToken cancellationToken)
    {
        var results = new List<OmegaMigrationResult>();
        var current = before;
        var footprint = await TransactionFootprint.CaptureAsync(context.Connection, context.Request.History, cancellationToken, context.Catalog).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            context.Progress.Report($"Applying {plan.Script.Version} {plan.Script.Name}");
            OmegaMigrationResult result;
            if (plan.Script.Transactional)
            {
                result = await ApplyInTransactionAsync(context, plan, current, footprint, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                result = await ApplyWithoutTransactionAsync(context, plan, current, cancellationToken).ConfigureAwait(false);
                await footprint.RefreshAsync(context.Connection, cancellationToken).ConfigureAwait(false);
            }

            results.Add(result);
            if (result.Status == MigrationResultStatus.Failed)
            {
                return new MigrationRunOutcome { Results = results, Failure = FailureOf(context.Request.Database, result) };
            }

            current = result.Schema ?? current;
        }

        return new MigrationRunOutcome { Results = results };
    }

    private static async Task<OmegaMigrationResult> ApplyInTransactionAsync(RunContext context, StatementPlan plan, OmegaSchema before,
        TransactionFootprint footprint, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var retries = request.EffectiveRetryCount;
        for (var attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            await using var transaction = await context.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Timeouts.SetAsync(context.Connection, request, local: true, cancellationToken).ConfigureAwait(false);
                footprint.ForgetHeldLocks();
                await context.Session.RunStatementsAsync(plan, cancellationToken).ConfigureAwait(false);
                var (verify, verifyError) = await VerifyAsync(context, plan.Script, cancellationToken).ConfigureAwait(false);
                var measured = await footprint.MeasureAsync(context.Connection, cancellationToken).ConfigureAwait(false);
                var (locks, rewritten) = (measured.Locks, measured.Rewritten);
                if (verifyError is not null)
                {
                    await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                    return Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                    {
                        Verify = verify, Error = verifyError, Locks = locks, RewrittenTables = rewritten,
                    };
                }

                var historyRow = request.History.InsertCommand(plan.Script.Version, plan.Script.Name, plan.Script.Checksum, clock.Elapsed, transactional: true);
                var after = await context.Session.SchemaAfterAsync(plan, before, measured, cancellationToken, historyRow).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                footprint.Keep(measured);
                return Result(context, plan, MigrationResultStatus.Applied, clock.Elapsed, attempt) with
                {
                    Verify = verify, Locks = locks, RewrittenTables = rewritten, Schema = after,
                    Changes = SchemaComparer.Compare(before, after),
                };
            }
            catch (MigrationStatementException failure)
            {
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                if (failure.IsLockTimeout && attempt <= retries)
                {
                    await context.Session.BackOffAsync(plan, attempt, retries, failure, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                return Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                {
                    Verify = plan.Script.Verify is null ? VerifyOutcome.None : VerifyOutcome.NotRun,
                    Error = MigrationSession.WithAttempts(failure.Error, attempt, failure.IsLockTimeout),
                };
            }
            catch (PostgresException pg)
            {
                // After its statements: the footprint, the history row or the schema read failed,
                // for instance because the migration dropped the history table or made the
                // transaction read-only. Still this migration's failure, and nothing of it stays.
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                return Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                {
                    Verify = plan.Script.Verify is null ? VerifyOutcome.None : VerifyOutcome.NotRun,
                    Error = MigrationSession.AfterStatementsError(plan.Script, pg),
                };
            }
        }
    }

    /// <summary>
    /// A no-transaction migration (CREATE INDEX CONCURRENTLY and the like): statement by
    /// statement, each retried alone on a lock timeout; what ran before a failure stays.
    /// </summary>
    private static async Task<OmegaMigrationResult> ApplyWithoutTransactionAsync(RunContext context, StatementPlan plan, OmegaSchema before,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        var clock = Stopwatch.StartNew();
        var connection = context.Connection;
        var warnings = new List<string>(plan.Warnings)
        {
            "Ran outside a transaction (-- omega:no-transaction): locks are held only while each statement runs and are not listed.",
        };
        var footprint = await TransactionFootprint.CaptureAsync(connection, request.History, cancellationToken).ConfigureAwait(false);
        await Timeouts.SetAsync(connection, request, local: false, cancellationToken).ConfigureAwait(false);
        var tally = new StatementTally();
        try
        {
            await context.Session.RunOneByOneAsync(plan, tally, cancellationToken).ConfigureAwait(false);
        }
        catch (MigrationStatementException failure)
        {
            await Timeouts.ResetAsync(connection, CancellationToken.None).ConfigureAwait(false);
            if (tally.Ran > 0)
            {
                warnings.Add($"{tally.Ran} statement(s) before the failing one ran outside a transaction and stay applied; fix forward in a new migration or undo them by hand.");
            }

            var afterFailure = await SchemaReader.ReadAsync(connection, request.Database, context.ReadOptions, cancellationToken).ConfigureAwait(false);
            return Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, tally.Attempts) with
            {
                Error = MigrationSession.WithAttempts(failure.Error, tally.Attempts, failure.IsLockTimeout), Warnings = warnings,
                Verify = plan.Script.Verify is null ? VerifyOutcome.None : VerifyOutcome.NotRun,
                Schema = afterFailure, Changes = SchemaComparer.Compare(before, afterFailure),
            };
        }

        await Timeouts.ResetAsync(connection, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<string> rewritten = [];
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            rewritten = await footprint.RewrittenAsync(connection, cancellationToken).ConfigureAwait(false);
            var (verify, verifyError) = await VerifyAsync(context, plan.Script, cancellationToken).ConfigureAwait(false);
            if (verifyError is not null)
            {
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                warnings.Add("Its statements ran outside a transaction and stay applied although the verify section failed.");
                return Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, tally.Attempts) with
                {
                    Verify = verify, Error = verifyError, Warnings = warnings, RewrittenTables = rewritten,
                };
            }

            await request.History.InsertAsync(connection, plan.Script.Version, plan.Script.Name, plan.Script.Checksum, clock.Elapsed,
                transactional: false, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return await AppliedWithoutTransactionAsync(context, plan, before, clock, tally.Attempts, verify, warnings, rewritten, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (PostgresException pg)
        {
            await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
            warnings.Add("Its statements ran outside a transaction and stay applied although the migration is not recorded as applied.");
            return Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, tally.Attempts) with
            {
                Verify = plan.Script.Verify is null ? VerifyOutcome.None : VerifyOutcome.NotRun,
                Error = MigrationSession.AfterStatementsError(plan.Script, pg), Warnings = warnings, RewrittenTables = rewritten,
            };
        }
    }

    private static async Task<OmegaMigrationResult> AppliedWithoutTransactionAsync(RunContext context, StatementPlan plan, OmegaSchema before,
        Stopwatch clock, int attempts, VerifyOutcome verify, List<string> warnings, IReadOnlyList<string> rewritten, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var connection = context.Connection;
        var after = await SchemaReader.ReadAsync(connection, request.Database, context.ReadOptions, cancellationToken).ConfigureAwait(false);
        return Result(context, plan, MigrationResultStatus.Applied, clock.Elapsed, attempts) with
        {
            Verify = verify, Warnings = warnings, RewrittenTables = rewritten, Schema = after, Changes = SchemaComparer.Compare(before, after),
        };
    }

    /// <summary>Every pending migration in one transaction, always rolled back; retried whole on a lock timeout.</summary>
    private static async Task<MigrationRunOutcome> DryRunAsync(RunContext context, IReadOnlyList<StatementPlan> plans, OmegaSchema before,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        var retries = request.EffectiveRetryCount;
        for (var attempt = 1; ; attempt++)
        {
            var results = new List<OmegaMigrationResult>();
            await using var transaction = await context.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await Timeouts.SetAsync(context.Connection, request, local: true, cancellationToken).ConfigureAwait(false);
                await request.History.EnsureAsync(context.Connection, cancellationToken).ConfigureAwait(false);
                var footprint = await TransactionFootprint.CaptureAsync(context.Connection, request.History, cancellationToken, context.Catalog).ConfigureAwait(false);
                var current = before;
                foreach (var plan in plans)
                {
                    context.Progress.Report($"Rehearsing {plan.Script.Version} {plan.Script.Name} (dry run)");
                    var clock = Stopwatch.StartNew();
                    await footprint.RememberHeldLocksAsync(context.Connection, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await context.Session.RunStatementsAsync(plan, cancellationToken).ConfigureAwait(false);
                    }
                    catch (MigrationStatementException failure) when (!(failure.IsLockTimeout && attempt <= retries))
                    {
                        results.Add(Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                        {
                            Verify = plan.Script.Verify is null ? VerifyOutcome.None : VerifyOutcome.NotRun,
                            Error = MigrationSession.WithAttempts(failure.Error, attempt, failure.IsLockTimeout),
                        });
                        return new MigrationRunOutcome { Results = results, Failure = FailureOf(request.Database, results[^1]) };
                    }

                    try
                    {
                        var (verify, verifyError) = await VerifyAsync(context, plan.Script, cancellationToken).ConfigureAwait(false);
                        var measured = await footprint.MeasureAsync(context.Connection, cancellationToken).ConfigureAwait(false);
                        footprint.Keep(measured);
                        var (locks, rewritten) = (measured.Locks, measured.Rewritten);
                        if (verifyError is not null)
                        {
                            results.Add(Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                            {
                                Verify = verify, Error = verifyError, Locks = locks, RewrittenTables = rewritten,
                            });
                            return new MigrationRunOutcome { Results = results, Failure = FailureOf(request.Database, results[^1]) };
                        }

                        var historyRow = request.History.InsertCommand(plan.Script.Version, plan.Script.Name, plan.Script.Checksum, clock.Elapsed,
                            plan.Script.Transactional);
                        var after = await context.Session.SchemaAfterAsync(plan, current, measured, cancellationToken, historyRow).ConfigureAwait(false);
                        results.Add(Result(context, plan, MigrationResultStatus.DryRun, clock.Elapsed, attempt) with
                        {
                            Verify = verify, Locks = locks, RewrittenTables = rewritten, Schema = after, Changes = SchemaComparer.Compare(current, after),
                        });
                        current = after;
                    }
                    catch (PostgresException pg)
                    {
                        results.Add(Result(context, plan, MigrationResultStatus.Failed, clock.Elapsed, attempt) with
                        {
                            Verify = plan.Script.Verify is null ? VerifyOutcome.None : VerifyOutcome.NotRun,
                            Error = MigrationSession.AfterStatementsError(plan.Script, pg),
                        });
                        return new MigrationRunOutcome { Results = results, Failure = FailureOf(request.Database, results[^1]) };
                    }
                }

                return new MigrationRunOutcome { Results = results };
            }
            catch (MigrationStatementException failure) when (failure.IsLockTimeout && attempt <= retries)
            {
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
                await context.Session.BackOffAsync(plans[results.Count], attempt, retries, failure, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // A dry run never commits: whatever happened, the transaction is rolled back here
                // (or by the server, when the migration ended its own session).
                await MigrationSession.RollbackQuietlyAsync(transaction).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Runs the verify section inside the migration's transaction, under a savepoint so a failing query leaves it usable.</summary>
    private static async Task<(VerifyOutcome Outcome, OmegaMigrationError? Error)> VerifyAsync(RunContext context, MigrationScript script,
        CancellationToken cancellationToken)
    {
        if (script.Verify is null)
        {
            return (VerifyOutcome.None, null);
        }

        foreach (var statement in script.Verify.Statements)
        {
            await context.Session.ExecuteAsync($"SAVEPOINT {VerifySavepoint}", cancellationToken).ConfigureAwait(false);
            await using var command = StatementRunner.Single(context.Connection, statement);
            string? why;
            try
            {
                why = await VerifyCheck.RunAsync(command, cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException pg)
            {
                // Without this the transaction stays aborted, and the next query (the footprint)
                // fails with 25P02 instead of the verify section's own error being reported.
                await context.Session.ExecuteAsync($"ROLLBACK TO SAVEPOINT {VerifySavepoint}", cancellationToken).ConfigureAwait(false);
                return (VerifyOutcome.Failed, StatementRunner.Failure(script, statement, pg, null).Error);
            }

            await context.Session.ExecuteAsync($"RELEASE SAVEPOINT {VerifySavepoint}", cancellationToken).ConfigureAwait(false);

            if (why is not null)
            {
                return (VerifyOutcome.Failed, new OmegaMigrationError
                {
                    Message = $"The verify section failed: {why}.",
                    File = script.Path,
                    Line = statement.Line,
                    Column = statement.Column,
                    Statement = statement.Text.Trim(),
                });
            }
        }

        return (VerifyOutcome.Passed, null);
    }

    private const string VerifySavepoint = "omegadb_verify";

    private static OmegaException FailureOf(OmegaDatabase database, OmegaMigrationResult failed)
    {
        var error = failed.Error!;
        var lockAdvice = error.SqlState == "55P03"
            ? " The migration waited too long for a lock that another session holds; it was rolled back so that it did not queue other sessions' queries behind it. Run it again when that session is done, or raise -LockTimeout."
            : string.Empty;
        var kept = failed.Warnings.Any(w => w.Contains("stay applied", StringComparison.Ordinal))
            ? " Statements of this no-transaction migration that ran before the failure stay applied."
            : " Nothing of it was kept.";
        return new OmegaException(FailedErrorId, error.SqlState == "55P03" ? OmegaErrorCategory.ResourceBusy : OmegaErrorCategory.InvalidOperation,
            $"Migration {failed.Version} ({failed.Name}) failed on {database.Name}{MigrationResults.Where(error)}: {MigrationResults.Describe(error)}{lockAdvice}{kept} Later migrations did not run.",
            failed);
    }

    private static OmegaMigrationResult Result(RunContext context, StatementPlan plan, MigrationResultStatus status, TimeSpan duration, int attempts) =>
        MigrationResults.For(context.Request.Database, plan, status, duration, attempts);

    private static void ThrowIfInvalidIndexWouldBeKept(OmegaSchema before, IReadOnlyList<MigrationScript> pending, OmegaDatabase database, List<string> warnings)
    {
        var invalid = before.Tables.SelectMany(t => t.Indexes.Select(i => (Table: t, Index: i))).Where(x => !x.Index.Valid).ToList();
        foreach (var (table, index) in invalid)
        {
            var qualified = $"{table.Schema}.{index.Name}";
            var creator = pending.SelectMany(s => s.Up.Statements.Select(st => (Script: s, Statement: st)))
                .FirstOrDefault(x => StatementFacts.CreatedIndexName(x.Statement) is { } name &&
                                     (name == index.Name || name == qualified));
            if (creator.Script is not null)
            {
                throw new OmegaException(InvalidIndexErrorId, OmegaErrorCategory.InvalidData,
                    $"Index {qualified} on {table.FullName} is INVALID, left by a failed CREATE INDEX CONCURRENTLY. Migration {creator.Script.Version} ({creator.Script.FileName}:{creator.Statement.Line}) creates it again, and IF NOT EXISTS would silently keep the broken one. " +
                    $"Drop it first (DROP INDEX CONCURRENTLY {qualified};) and run again. Nothing was run.", database);
            }

            warnings.Add($"Index {qualified} on {table.FullName} is INVALID (a failed CREATE INDEX CONCURRENTLY leaves one): it is maintained on writes but never used. Drop it and build it again.");
        }
    }

    private static string CheckRehearsal(MigrationRunRequest request, OmegaSchema before, IReadOnlyList<MigrationScript> pending)
    {
        var database = request.Database;
        var planned = pending.Select(s => new RehearsedMigration(s.Version, s.Name, s.Checksum)).ToList();
        var versions = string.Join(", ", pending.Select(p => p.Version.ToString(CultureInfo.InvariantCulture)));
        if (request.SkipRehearsalCheck)
        {
            return $"Production gate skipped (-SkipRehearsalCheck) for migrations {versions} on {database.Name}.";
        }

        var match = request.Rehearsals?.FindMatch(before.Fingerprint, planned);
        if (match is null)
        {
            var log = request.Rehearsals?.Path ?? "(no rehearsal log)";
            throw new OmegaException(RehearsalRequiredErrorId, OmegaErrorCategory.SecurityError,
                $"{database.Name} is marked Production and migrations {versions} have not been rehearsed from its current schema (fingerprint {before.Fingerprint[..16]}). Nothing was run. " +
                "Rehearse them first on a sandbox with the same schema, for example: $sandbox = New-OmegaSandbox; apply the migrations production already has with Invoke-OmegaMigration -To <last applied version>; then $sandbox | Invoke-OmegaMigration -Path <folder> (or -DryRun); then run this again. " +
                $"Rehearsals are recorded in {log}. -SkipRehearsalCheck overrides this check.", database);
        }

        return $"Production gate passed: migrations {versions} were rehearsed on sandbox {match.Sandbox} at {match.RecordedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}{(match.DryRun ? " (dry run)" : string.Empty)} from the same schema ({before.Fingerprint[..16]}), verify passed.";
    }

    private static async Task RecordRehearsalAsync(RehearsalLog log, OmegaSandbox sandbox, OmegaSchema before, IReadOnlyList<OmegaMigrationResult> results,
        bool dryRun, CancellationToken cancellationToken)
    {
        if (results.Count == 0 || results.Any(r => r.Status == MigrationResultStatus.Failed || r.Verify == VerifyOutcome.Failed))
        {
            return;
        }

        await log.AppendAsync(new Rehearsal
        {
            RecordedAt = DateTimeOffset.UtcNow,
            Sandbox = sandbox.Name,
            SandboxId = sandbox.Id,
            ServerVersion = sandbox.ServerVersion,
            DryRun = dryRun,
            FingerprintBefore = before.Fingerprint,
            FingerprintAfter = results[^1].Schema?.Fingerprint,
            VerifyPassed = true,
            Migrations = results.Select(r => new RehearsedMigration(r.Version, r.Name, r.Checksum)).ToList(),
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="Catalog">The database and the catalog signature its snapshot before the run goes with.</param>
    private sealed record RunContext(MigrationRunRequest Request, NpgsqlConnection Connection, NpgsqlConnection Monitor,
        SchemaReadOptions ReadOptions, IProgress<string> Progress, (string Database, string Signature) Catalog)
    {
        public MigrationSession Session { get; } = new(Request, Connection, Monitor, ReadOptions, Progress);
    }
}
