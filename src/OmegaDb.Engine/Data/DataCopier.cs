using System.Data;
using System.Diagnostics;
using Npgsql;
using OmegaDb.Connections;

namespace OmegaDb.Data;

/// <summary>
/// Copies rows from one database into another with COPY, parents before children, so that
/// foreign keys hold; optionally only some rows per table (a limit, a filter) together with
/// the parent rows they reference, and with sensitive columns masked on the way.
/// </summary>
/// <remarks>
/// The source is read in one REPEATABLE READ transaction (one snapshot for every table); the
/// destination is written in one transaction, so a failure leaves nothing half-copied. The
/// destination must already have the tables (its schema is not touched), with the same
/// columns; its serial and identity sequences are moved past the copied values.
/// New-OmegaSandbox -SampleRows calls this after copying the schema:
/// <c>DataCopier.CopyAsync(source, sandbox, new DataCopyOptions { Limit = n }, DataCopyProgress.Relay(progress), ct)</c>.
/// </remarks>
public static class DataCopier
{
    public const string SameDatabaseErrorId = "OmegaDb.SameDatabase";
    public const string CopyFailedErrorId = "OmegaDb.DataCopyFailed";
    public const string InvalidLimitErrorId = "OmegaDb.InvalidLimit";

    public static async Task<IReadOnlyList<OmegaDataCopyResult>> CopyAsync(OmegaDatabase source, OmegaDatabase destination, DataCopyOptions options,
        IProgress<DataCopyProgress> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Limit is < 0)
        {
            throw new OmegaException(InvalidLimitErrorId, OmegaErrorCategory.InvalidArgument,
                $"The row limit must be 0 or more, not {options.Limit}.", options.Limit);
        }

        if (SameDatabase(source, destination))
        {
            throw new OmegaException(SameDatabaseErrorId, OmegaErrorCategory.InvalidArgument,
                $"The source and the destination are the same database ({destination.Name}). Copy into another database, such as a sandbox (New-OmegaSandbox).", destination);
        }

        await using var sourceConnection = await CopyConnections.OpenAsync(source, cancellationToken).ConfigureAwait(false);
        await using var destinationConnection = await CopyConnections.OpenAsync(destination, cancellationToken).ConfigureAwait(false);
        if (await IdentityAsync(sourceConnection, cancellationToken).ConfigureAwait(false) == await IdentityAsync(destinationConnection, cancellationToken).ConfigureAwait(false))
        {
            throw new OmegaException(SameDatabaseErrorId, OmegaErrorCategory.InvalidArgument,
                $"{source.Name} and {destination.Name} are the same database, reached by two names. Copy into another database, such as a sandbox (New-OmegaSandbox).", destination);
        }

        progress.Report(new DataCopyProgress(DataCopyStage.Planning, $"Reading the tables of {source.Name} and {destination.Name}"));
        var sourceCatalog = await DataCatalog.ReadAsync(sourceConnection, cancellationToken).ConfigureAwait(false);
        var destinationCatalog = await DataCatalog.ReadAsync(destinationConnection, cancellationToken).ConfigureAwait(false);
        var plan = DataCopyPlanner.Plan(sourceCatalog, destinationCatalog, options);
        await CopyChecks.CheckAsync(sourceConnection, plan, cancellationToken).ConfigureAwait(false);

        await using var transaction = await destinationConnection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var cycle in plan.Groups.Where(g => g.Count > 1))
        {
            await CycleGuard.CheckAsync(destinationConnection, destinationCatalog, cycle, cancellationToken).ConfigureAwait(false);
        }

        await using var snapshot = await sourceConnection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        RowSampler? sampler = null;
        if (plan.Samples)
        {
            progress.Report(new DataCopyProgress(DataCopyStage.Sampling, "Picking rows"));
            sampler = await RowSampler.PrepareAsync(sourceConnection, plan, cancellationToken).ConfigureAwait(false);
            await sampler.SampleAsync(sourceConnection, plan, options.Limit, progress, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await ExecuteAsync(sourceConnection, "SET TRANSACTION READ ONLY", cancellationToken).ConfigureAwait(false);
        }

        if (options.Truncate && plan.Groups.Count > 0)
        {
            await TruncateAsync(destinationConnection, destinationCatalog, plan, cancellationToken).ConfigureAwait(false);
        }

        var results = new List<OmegaDataCopyResult>();
        var count = plan.Groups.Sum(g => g.Count);
        foreach (var group in plan.Groups)
        {
            var guard = group.Count > 1 ? await CycleGuard.OpenAsync(destinationConnection, destinationCatalog, group, cancellationToken).ConfigureAwait(false) : null;
            foreach (var table in group)
            {
                results.Add(await CopyTableAsync(sourceConnection, destinationConnection, table, sampler, results.Count + 1, count, source, destination, progress, cancellationToken)
                    .ConfigureAwait(false));
            }

            if (guard is not null)
            {
                await guard.CloseAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        progress.Report(new DataCopyProgress(DataCopyStage.Finishing, "Advancing sequences and committing"));
        await SequenceAdvancer.AdvanceAsync(destinationConnection, destinationCatalog, plan.Tables, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    private static async Task<OmegaDataCopyResult> CopyTableAsync(NpgsqlConnection source, NpgsqlConnection destination, TableCopyPlan table, RowSampler? sampler,
        int number, int count, OmegaDatabase sourceDatabase, OmegaDatabase destinationDatabase, IProgress<DataCopyProgress> progress, CancellationToken cancellationToken)
    {
        var columns = Sql.ColumnList(table.Columns.Select(c => c.Name));
        var format = table.UsesText ? string.Empty : " (FORMAT binary)";
        // COPY straight from the table is the fastest way out; a query is needed for a
        // partitioned table, masks, or picked rows.
        var copyOut = sampler is null && table.Masks.Count == 0 && !table.Source.Partitioned
            ? $"COPY {table.Source.Sql} ({columns}) TO STDOUT{format}"
            : $"COPY ({sampler?.Select(table) ?? $"SELECT {table.SelectList} FROM {table.Source.FromSql}"}) TO STDOUT{format}";
        var copyIn = $"COPY {table.Destination.Sql} ({columns}) FROM STDIN{format}";

        progress.Report(new DataCopyProgress(DataCopyStage.Copying, $"{table.FullName} ({number}/{count})", table.FullName, number, count));
        var clock = Stopwatch.StartNew();
        (long Rows, long Bytes) copied;
        try
        {
            copied = await CopyStreamer.CopyAsync(source, copyOut, destination, copyIn, table.UsesText,
                (rows, bytes) => progress.Report(new DataCopyProgress(DataCopyStage.Copying, $"{table.FullName} ({number}/{count}): {rows:N0} rows", table.FullName, number, count, rows, bytes)),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw Failure(table, ex);
        }

        return new OmegaDataCopyResult
        {
            Database = destinationDatabase,
            Source = sourceDatabase.Name,
            Destination = destinationDatabase.Name,
            Schema = table.Source.Schema,
            Table = table.Source.Name,
            Rows = copied.Rows,
            Bytes = copied.Bytes,
            Duration = clock.Elapsed,
            MaskedColumns = table.MaskedColumns,
            Sampled = table.Restricted,
            Where = table.Where,
        };
    }

    private static async Task TruncateAsync(NpgsqlConnection destination, DataCatalog catalog, DataCopyPlan plan, CancellationToken cancellationToken)
    {
        // One statement for all tables, so foreign keys between them do not stand in the way.
        var names = string.Join(", ", plan.Tables.Select(t => t.Destination.FromSql));
        try
        {
            await ExecuteAsync(destination, $"TRUNCATE TABLE {names}", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "0A000")
        {
            var emptied = plan.Tables.Select(t => t.Destination.Oid).ToHashSet();
            var referencing = catalog.ForeignKeys.Where(e => emptied.Contains(e.Parent) && !emptied.Contains(e.Child))
                .Select(e => catalog.ByOid(e.Child)!.FullName).Distinct().Order(StringComparer.Ordinal);
            throw new OmegaException(CopyFailedErrorId, OmegaErrorCategory.InvalidOperation,
                $"-Truncate cannot empty the destination tables: {ex.MessageText}, from {string.Join(", ", referencing)}. Include those tables in -Table, or empty them yourself first.",
                plan.Tables.Select(t => t.FullName).ToArray(), ex);
        }
    }

    private static OmegaException Failure(TableCopyPlan table, PostgresException ex)
    {
        var next = ex.SqlState switch
        {
            "23505" => "The destination already has some of these rows: copy with -Truncate to empty the tables first, or into an empty database.",
            "23503" => "These rows reference rows the destination lacks: include the referenced table in -Table, or copy it first.",
            "23514" or "23502" => "The destination's constraints differ from the source's: compare the schemas (Compare-OmegaSchema).",
            _ => "Nothing was copied.",
        };
        return new OmegaException(CopyFailedErrorId, OmegaErrorCategory.InvalidData,
            $"Copying {table.FullName} failed: {ex.SqlState}: {ex.MessageText}. Nothing was copied. {next}", table.FullName, ex);
    }

    /// <summary>
    /// Which database a connection reached, whatever host name led there: the server (its
    /// start time to the microsecond, and port) and the database's name.
    /// </summary>
    private static async Task<string> IdentityAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_postmaster_start_time()::text || ' ' || current_setting('port') || ' ' || current_database()", connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static bool SameDatabase(OmegaDatabase a, OmegaDatabase b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port && a.Database == b.Database;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
