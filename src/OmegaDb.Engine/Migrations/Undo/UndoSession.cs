using Npgsql;
using OmegaDb.Connections;
using OmegaDb.Schema;

namespace OmegaDb.Migrations;

/// <summary>
/// One Undo-OmegaMigration run, held open between its steps so that the cmdlet can ask for
/// confirmation of each migration right before it is undone: the migration lock, the session
/// connection, the migrations chosen (newest first) and what their down sections destroy,
/// measured before anything ran. <see cref="OpenAsync"/> does everything that comes before
/// the first change and refuses there (missing file, modified file, no down section,
/// transaction control, a down that fails, data loss without a qualifying backup or -Force);
/// a dry run is complete once it is open.
/// </summary>
internal sealed class UndoSession : IAsyncDisposable
{
    private readonly MigrationLock _lock;
    private readonly NpgsqlConnection _connection;
    private readonly MigrationSession _session;
    private readonly IReadOnlyList<StatementPlan> _plans;
    private OmegaSchema _current;

    private UndoSession(MigrationLock migrationLock, NpgsqlConnection connection, MigrationSession session, IReadOnlyList<UndoTarget> targets,
        IReadOnlyList<StatementPlan> plans, OmegaSchema before)
    {
        _lock = migrationLock;
        _connection = connection;
        _session = session;
        Targets = targets;
        _plans = plans;
        _current = before;
    }

    /// <summary>The migrations to undo, newest first.</summary>
    public IReadOnlyList<UndoTarget> Targets { get; }

    /// <summary>What each target's down section destroys, in the order of <see cref="Targets"/>.</summary>
    public IReadOnlyList<IReadOnlyList<OmegaDataLoss>> Losses { get; private init; } = [];

    /// <summary>The dry run's outcome (results, or the failure), for -DryRun; null for a real undo.</summary>
    public MigrationRunOutcome? DryRun { get; private init; }

    /// <summary>Why the data-loss guard let the undo through (a backup, -Force), or null when nothing is lost.</summary>
    public string? GuardDecision { get; private init; }

    /// <summary>
    /// The data-loss guard's refusal: kept rather than thrown, so that the report of what would
    /// be lost is shown before it. Nothing may be undone when it is set.
    /// </summary>
    public OmegaException? Refusal { get; private init; }

    public static async Task<UndoSession> OpenAsync(UndoRequest request, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var database = request.Database;
        progress.Report($"Taking the migration lock on {database.Name}");
        var migrationLock = await MigrationLock.AcquireAsync(database, request.History, request.LockWaitTimeout, progress, cancellationToken).ConfigureAwait(false);
        NpgsqlConnection? connection = null;
        try
        {
            connection = await DatabaseConnector.OpenAsync(database, cancellationToken, pooling: false).ConfigureAwait(false);
            await SessionSettings.ApplyAsync(connection, request.DryRun ? "OmegaDb undo dry run" : "OmegaDb undo", cancellationToken).ConfigureAwait(false);

            // Read only now, under the lock: a run that waited must see what the run before it did.
            var history = await request.History.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            var targets = UndoSelection.Select(request.Scripts, history, request.Count, request.To, database);

            // The rehearsal runs every down in one transaction, so transaction control is refused
            // in all of them, as in Invoke's dry run, whether or not this undo is a dry run.
            var rehearsalPlans = targets.Select(t => StatementPlan.ForDown(t.Script, dryRun: true)).ToList();
            TransactionControlGuard.ThrowIfAny(rehearsalPlans, database, request.DryRun);
            var plans = request.DryRun ? rehearsalPlans : targets.Select(t => StatementPlan.ForDown(t.Script, dryRun: false)).ToList();

            var readOptions = new SchemaReadOptions { ExcludedSchemas = [SchemaReadOptions.HistorySchema, request.History.Schema] };
            progress.Report($"Reading the schema of {database.Name}");
            var before = await SchemaSnapshotCache.ReadAsync(connection, database, readOptions, cancellationToken).ConfigureAwait(false);
            var session = new MigrationSession(request, connection, migrationLock.Connection, readOptions, progress);

            var rehearsal = await UndoRehearsal.RunAsync(session, targets, rehearsalPlans, before, capture: request.DryRun, cancellationToken).ConfigureAwait(false);
            var losses = rehearsal.Results.Select(r => r.DataLoss).ToList();
            if (request.DryRun)
            {
                return new UndoSession(migrationLock, connection, session, targets, plans, before) { Losses = losses, DryRun = rehearsal };
            }

            if (rehearsal.Failure is not null)
            {
                throw rehearsal.Failure;
            }

            string? decision = null;
            OmegaException? refusal = null;
            try
            {
                decision = DataLossGuard.Check(request, targets, rehearsal.Results.SelectMany(r => r.DataLoss).ToList());
            }
            catch (OmegaException ex) when (ex.ErrorId == DataLossGuard.WouldLoseDataErrorId)
            {
                refusal = ex;
            }

            return new UndoSession(migrationLock, connection, session, targets, plans, before) { Losses = losses, GuardDecision = decision, Refusal = refusal };
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            await migrationLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Undoes <see cref="Targets"/>[<paramref name="index"/>]; call in order, newest first, and stop at the first failure.</summary>
    public async Task<OmegaMigrationResult> UndoAsync(int index, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (DryRun is not null || Refusal is not null)
        {
            throw new InvalidOperationException(DryRun is not null ? "A dry run undoes nothing." : "The data-loss guard refused this undo.");
        }

        var plan = _plans[index];
        progress.Report($"Undoing {plan.Script.Version} {plan.Script.Name}");
        var result = await DownRunner.UndoAsync(_session with { Progress = progress }, plan, _current, Losses[index], cancellationToken).ConfigureAwait(false);
        _current = result.Schema ?? _current;
        return result;
    }

    public static OmegaException FailureOf(OmegaMigrationResult failed) =>
        UndoResults.FailureOf(failed.Database!, failed, rehearsal: false);

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        await _lock.DisposeAsync().ConfigureAwait(false);
    }
}
