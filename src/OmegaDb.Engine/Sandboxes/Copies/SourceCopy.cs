using Npgsql;
using OmegaDb.ClientTools;
using OmegaDb.Connections;
using OmegaDb.Data;
using OmegaDb.Schema;

namespace OmegaDb.Sandboxes;

/// <summary>
/// Copies the source of <c>New-OmegaSandbox -From</c> into the new sandbox, in two halves
/// around the making of the sandbox: <see cref="BeginAsync"/> reads the source and decides how
/// (a cached template, a clone of the source on the same server, or pg_dump started right away
/// so that it runs while the sandbox's server is made); <see cref="FinishAsync"/> checks the
/// sandbox can take the source (extensions, roles), restores, and saves a template for next time.
/// </summary>
/// <remarks>
/// -SchemaOnly never clones the source itself: a clone carries every row, and emptying it
/// afterwards (TRUNCATE of every table, sequences reset) would still copy all the data first,
/// keep the source's table sizes and statistics, and miss state that is not rows (materialized
/// view contents, large objects). A schema-only dump is exact, and its template makes the
/// second sandbox as fast as a clone.
/// </remarks>
internal sealed class SourceCopy : IAsyncDisposable
{

    private readonly OmegaDatabase _source;
    private readonly SandboxEngine _engine;
    private readonly string _directory;
    private readonly PostgresClientTools _tools;
    private readonly IReadOnlyList<string> _extensions;
    private readonly IReadOnlyList<string> _roles;
    private readonly IReadOnlyList<(string Name, string Definition)> _invalidIndexes;
    private readonly string? _fingerprint;
    private readonly string? _signature;
    private readonly CancellationTokenSource _dumpCancellation = new();
    private SourceDump? _dump;
    private TemplateTwin? _twin;

    private SourceCopy(SandboxRequest request, SandboxEngine engine, string directory, PostgresClientTools tools,
        IReadOnlyList<string> extensions, IReadOnlyList<string> roles, IReadOnlyList<(string, string)> invalidIndexes, string? fingerprint, string? signature)
    {
        Request = request;
        _source = request.From!;
        _engine = engine;
        _directory = directory;
        _tools = tools;
        _extensions = extensions;
        _roles = roles;
        _invalidIndexes = invalidIndexes;
        _fingerprint = fingerprint;
        _signature = signature;
    }

    /// <summary>The request for the provider: with the template to clone, when there is one.</summary>
    public SandboxRequest Request { get; private set; }

    private bool SchemaOnly => Request.CopiesSchemaOnly;

    private SourceIdentity Identity => SourceIdentity.Of(_source);

    public static async Task<SourceCopy> BeginAsync(SandboxRequest request, SandboxEngine engine, string directory, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var source = request.From ?? throw new ArgumentException("The request has no source.", nameof(request));
        progress.Report($"reading the source {source}");
        string version;
        IReadOnlyList<string> extensions;
        IReadOnlyList<string> roles;
        IReadOnlyList<(string, string)> invalidIndexes;
        string? fingerprint = null;
        string? signature = null;
        await using (var connection = await DatabaseConnector.OpenAsync(source, cancellationToken, pooling: false).ConfigureAwait(false))
        {
            version = connection.PostgreSqlVersion.ToString();
            extensions = await ListAsync(connection, ExtensionCheck.InstalledSql, cancellationToken).ConfigureAwait(false);
            roles = await SourceRoles.ReferencedAsync(connection, cancellationToken).ConfigureAwait(false);
            invalidIndexes = await InvalidIndexes.ListAsync(connection, cancellationToken).ConfigureAwait(false);
            if (request.CopiesSchemaOnly)
            {
                // The signature before the read is compared with one after pg_dump: equal, and
                // the dump holds the schema this fingerprint names, so its template may be kept.
                signature = await CatalogSignature.ReadAsync(connection, cancellationToken).ConfigureAwait(false);
                var schema = await SchemaSnapshotCache.ReadAsync(connection, source, SchemaReadOptions.Default, cancellationToken).ConfigureAwait(false);
                fingerprint = schema.Fingerprint;
                progress.Report($"source schema: {schema.Tables.Count} tables, fingerprint {fingerprint[..Math.Min(12, fingerprint.Length)]}");
            }
        }

        var tools = await PostgresClientTools.FindForServerAsync(null, version, cancellationToken).ConfigureAwait(false);
        var copy = new SourceCopy(request, engine, directory, tools, extensions, roles, invalidIndexes, fingerprint, signature);
        await copy.ChooseAsync(progress, cancellationToken).ConfigureAwait(false);
        return copy;
    }

    private async Task ChooseAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        var server = Request.Server;
        if (_engine == SandboxEngine.Local && SchemaOnly)
        {
            var installation = await PostgresInstallation.FindAsync(Request.PostgresBin, cancellationToken).ConfigureAwait(false);
            if (LocalTemplateStore.Find(Identity, _fingerprint!, installation.BinDirectory) is { } template)
            {
                Request = Request with { LocalTemplate = template };
                return;
            }

            progress.Report("no cached template for this source and schema yet: dumping it, and restoring it into a second cluster that becomes the template");
            _twin = TemplateTwin.Start(Request, _source.Name, progress, cancellationToken);
        }
        else if (_engine == SandboxEngine.Server && server is not null && SchemaOnly)
        {
            var name = ServerTemplateStore.NameFor(Identity, _fingerprint!);
            if (await ServerTemplateStore.ExistsAsync(server, name, cancellationToken).ConfigureAwait(false))
            {
                Request = Request with { TemplateDatabase = name };
                return;
            }

            progress.Report($"no template database {name} on {server.Host}:{server.Port} yet: dumping the source");
        }
        else if (_engine == SandboxEngine.Server && server is not null && SourceIdentity.SameServer(_source, server))
        {
            if (_source.IsProduction)
            {
                // A clone keeps every new connection out of its template while it copies.
                progress.Report($"not cloning {_source.Name} with CREATE DATABASE ... TEMPLATE: it is marked Production, and a clone locks new sessions out of it while it copies; dumping it instead");
            }
            else
            {
                // Our own pooled sessions to the source would make PostgreSQL refuse the clone.
                NpgsqlConnection.ClearPool(new NpgsqlConnection(NpgsqlConnectionStrings.For(_source)));
                Request = Request with { TemplateDatabase = _source.Database };
                return;
            }
        }

        StartDump(progress);
    }

    private SourceDump StartDump(IProgress<string> progress) =>
        _dump ??= SourceDump.Start(_tools, _source, SchemaOnly, _directory, progress, _dumpCancellation.Token);

    /// <summary>Fills the sandbox the provider made from <see cref="Request"/>.</summary>
    public async Task FinishAsync(OmegaSandbox sandbox, IProgress<string> progress, CancellationToken cancellationToken)
    {
        using var linked = cancellationToken.Register(() => _dumpCancellation.Cancel());
        var clonedSource = sandbox.TemplateUsed is { } used && used == _source.Database && sandbox.Engine == SandboxEngine.Server;
        if (sandbox.TemplateUsed is { } template)
        {
            progress.Report(clonedSource ? $"cloned {_source.Database} on its own server" : $"reused the cached template {template}");
        }
        else
        {
            await RestoreAsync(sandbox, progress, cancellationToken).ConfigureAwait(false);
        }

        if (!clonedSource)
        {
            await ReportRolesAsync(sandbox, progress, cancellationToken).ConfigureAwait(false);
        }

        if (Request.SampleRows is { } rows)
        {
            await SampleRowsAsync(_source, sandbox, rows, progress, cancellationToken).ConfigureAwait(false);
        }
        else if (SchemaOnly && !clonedSource)
        {
            await CopyHistoryAsync(_source, sandbox, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RestoreAsync(OmegaSandbox sandbox, IProgress<string> progress, CancellationToken cancellationToken)
    {
        bool keepOwnership;
        await using (var connection = await DatabaseConnector.OpenAsync(sandbox, cancellationToken, pooling: false).ConfigureAwait(false))
        {
            var available = await ListAsync(connection, ExtensionCheck.AvailableSql, cancellationToken).ConfigureAwait(false);
            ExtensionCheck.EnsureAvailable(_extensions, available, $"{sandbox.Engine} {sandbox.Host}:{sandbox.Port}, PostgreSQL {sandbox.ServerVersion}", _source);
            keepOwnership = (await SourceRoles.UnusableAsync(connection, _roles, cancellationToken).ConfigureAwait(false)).Count == 0;
        }

        var dump = StartDump(progress);
        await dump.WaitAsync().ConfigureAwait(false);
        var keepTemplate = SchemaOnly && _fingerprint is not null && await SourceUnchangedAsync(cancellationToken).ConfigureAwait(false);
        if (!keepTemplate && SchemaOnly && _fingerprint is not null)
        {
            progress.Report("the source's schema changed while it was being dumped: no template saved, the next sandbox dumps it again");
        }

        var twin = keepTemplate ? await TwinServerAsync(progress).ConfigureAwait(false) : null;
        if (twin is null)
        {
            await DropTwinAsync().ConfigureAwait(false);
        }

        var twinRestore = twin is null ? null : RestoreTwinAsync(dump, twin, keepOwnership, progress);
        try
        {
            await dump.RestoreAsync(_tools, sandbox, SchemaOnly, keepOwnership, progress, cancellationToken).ConfigureAwait(false);
            await InvalidIndexes.RecreateAsync(sandbox, _invalidIndexes, progress, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The sandbox failed, so the template would only hold the same failure.
            _twin?.Cancel();
            throw;
        }
        finally
        {
            // The twin reads the same file: it goes only when both are done.
            if (twinRestore is not null && !await twinRestore.ConfigureAwait(false))
            {
                twin = null;
            }

            dump.Delete();
        }

        if (twin is null)
        {
            await DropTwinAsync().ConfigureAwait(false);
        }

        if (!keepTemplate)
        {
            return;
        }

        if (sandbox.Engine == SandboxEngine.Local && _twin is not null)
        {
            try
            {
                var (data, bin) = await _twin.StopAsync(cancellationToken).ConfigureAwait(false);
                await LocalTemplateStore.WriteAsync(data, bin, Identity, _source.ToString(), _fingerprint!, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OmegaException or IOException or UnauthorizedAccessException)
            {
                // A cache: the sandbox the user asked for is ready; the next one dumps again.
                progress.Report($"no template saved: {SecretScrubber.Scrub(ex.Message)}");
            }

            await DropTwinAsync().ConfigureAwait(false);
        }
        else if (sandbox.Engine == SandboxEngine.Server && Request.Server is { } server)
        {
            await ServerTemplateStore.WriteAsync(server, sandbox, Identity, _source.ToString(), _fingerprint!, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The running twin, or null (said so) when it could not be made: the sandbox does not need it.</summary>
    private async Task<OmegaSandbox?> TwinServerAsync(IProgress<string> progress)
    {
        if (_twin is null)
        {
            return null;
        }

        try
        {
            return await _twin.ServerAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OmegaException or IOException or UnauthorizedAccessException)
        {
            progress.Report($"no template saved: its cluster could not be made ({SecretScrubber.Scrub(ex.Message)})");
            return null;
        }
    }

    /// <summary>The twin's restore, beside the sandbox's; false (said so) when it failed or was given up.</summary>
    private async Task<bool> RestoreTwinAsync(SourceDump dump, OmegaSandbox twin, bool keepOwnership, IProgress<string> progress)
    {
        var twinProgress = TemplateTwin.Prefixed(progress);
        try
        {
            await dump.RestoreAsync(_tools, twin, SchemaOnly, keepOwnership, twinProgress, _twin!.Cancellation).ConfigureAwait(false);
            await InvalidIndexes.RecreateAsync(twin, _invalidIndexes, twinProgress, _twin.Cancellation).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is OmegaException or IOException or NpgsqlException)
        {
            progress.Report($"no template saved: restoring it failed ({SecretScrubber.Scrub(ex.Message)})");
            return false;
        }
    }

    private async Task DropTwinAsync()
    {
        if (_twin is not null)
        {
            await _twin.DisposeAsync().ConfigureAwait(false);
            _twin = null;
        }
    }

    private async Task<bool> SourceUnchangedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DatabaseConnector.OpenAsync(_source, cancellationToken, pooling: false).ConfigureAwait(false);
        return await CatalogSignature.ReadAsync(connection, cancellationToken).ConfigureAwait(false) == _signature;
    }

    /// <summary>Says which of the source's owners and grantees the sandbox could not take (their objects belong to the sandbox's user).</summary>
    private async Task ReportRolesAsync(OmegaSandbox sandbox, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (_roles.Count == 0)
        {
            return;
        }

        await using var connection = await DatabaseConnector.OpenAsync(sandbox, cancellationToken, pooling: false).ConfigureAwait(false);
        var unusable = await SourceRoles.UnusableAsync(connection, _roles, cancellationToken).ConfigureAwait(false);
        if (unusable.Count > 0)
        {
            progress.Report($"ownership and grants were not copied: the sandbox's server lacks (or '{sandbox.User}' cannot act as) the source's role(s) {string.Join(", ", unusable)}; every object belongs to '{sandbox.User}'");
        }
    }

    // The migration history is bookkeeping, not data: a sandbox made to rehearse the source's
    // pending migrations must know which ones the source has applied, so its rows are copied
    // whole even when the schema alone or a sample of the rest is.
    private static readonly string[] HistoryTables = [SchemaReadOptions.HistorySchema + ".*"];

    /// <summary>Up to <paramref name="rows"/> rows per table, with the parent rows they reference; the history whole.</summary>
    private static async Task SampleRowsAsync(OmegaDatabase source, OmegaSandbox sandbox, int rows, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await CopyHistoryAsync(source, sandbox, progress, cancellationToken).ConfigureAwait(false);
        progress.Report($"copying up to {rows} rows per table from {source.Name}, with the rows they reference");
        await DataCopier.CopyAsync(source, sandbox, new DataCopyOptions { Limit = rows, ExcludedTables = HistoryTables },
            DataCopyProgress.Relay(progress), cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyHistoryAsync(OmegaDatabase source, OmegaSandbox sandbox, IProgress<string> progress, CancellationToken cancellationToken)
    {
        // The copier reads both catalogs whole; a source that never ran a migration spares that.
        await using (var connection = await DatabaseConnector.OpenAsync(source, cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand($"SELECT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = '{SchemaReadOptions.HistorySchema}')", connection))
        {
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
            {
                return;
            }
        }

        var copied = await DataCopier.CopyAsync(source, sandbox, new DataCopyOptions { Tables = HistoryTables },
            DataCopyProgress.Relay(progress), cancellationToken).ConfigureAwait(false);
        if (copied.Sum(c => c.Rows) is > 0 and var history)
        {
            progress.Report($"copied the migration history ({history} rows)");
        }
    }

    private static async Task<IReadOnlyList<string>> ListAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Stops a pg_dump still running (the sandbox failed) and deletes its file; removes the template's twin, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        await DropTwinAsync().ConfigureAwait(false);
        if (_dump is not null)
        {
            await _dumpCancellation.CancelAsync().ConfigureAwait(false);
            try
            {
                await _dump.WaitAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Cancelled or failed: either way nothing more to wait for.
            }

            _dump.Delete();
        }

        _dumpCancellation.Dispose();
    }
}
