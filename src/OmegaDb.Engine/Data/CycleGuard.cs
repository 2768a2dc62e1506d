using Npgsql;

namespace OmegaDb.Data;

/// <summary>
/// Lets a group of tables that reference each other be filled in one go without giving up
/// on their foreign keys. When every foreign key of the cycle is DEFERRABLE they are
/// deferred and checked by the server as soon as the group is in. Otherwise, when the role
/// may set session_replication_role, the server's checks are off while the group is copied
/// and every foreign key of the group's tables is then checked here with an anti-join. With
/// neither, the copy is refused before any row is written (<see cref="CheckAsync"/>).
/// </summary>
internal sealed class CycleGuard
{
    public const string ForeignKeyCycleErrorId = "OmegaDb.ForeignKeyCycle";
    public const string ForeignKeyViolationErrorId = "OmegaDb.ForeignKeyViolation";

    private readonly NpgsqlConnection _destination;
    private readonly DataCatalog _catalog;
    private readonly IReadOnlyList<TableCopyPlan> _group;
    private readonly IReadOnlyList<ForeignKeyEdge> _cycle;
    private readonly bool _replica;

    private CycleGuard(NpgsqlConnection destination, DataCatalog catalog, IReadOnlyList<TableCopyPlan> group, IReadOnlyList<ForeignKeyEdge> cycle, bool replica)
    {
        _destination = destination;
        _catalog = catalog;
        _group = group;
        _cycle = cycle;
        _replica = replica;
    }

    /// <summary>A readable description of the cycle: <c>a.b_id → b, b.a_id → a</c>.</summary>
    public static string Describe(DataCatalog catalog, IEnumerable<ForeignKeyEdge> edges) =>
        string.Join(", ", edges.Select(e => $"{catalog.ByOid(e.Child)}({string.Join(", ", e.ChildColumns)}) → {catalog.ByOid(e.Parent)}"));

    /// <summary>Finds out, before any row is written, whether the group can be copied; throws the refusal if not.</summary>
    public static Task CheckAsync(NpgsqlConnection destination, DataCatalog catalog, IReadOnlyList<TableCopyPlan> group, CancellationToken cancellationToken) =>
        OpenAsync(destination, catalog, group, cancellationToken, probe: true);

    public static Task<CycleGuard> OpenAsync(NpgsqlConnection destination, DataCatalog catalog, IReadOnlyList<TableCopyPlan> group, CancellationToken cancellationToken) =>
        OpenAsync(destination, catalog, group, cancellationToken, probe: false);

    private static async Task<CycleGuard> OpenAsync(NpgsqlConnection destination, DataCatalog catalog, IReadOnlyList<TableCopyPlan> group, CancellationToken cancellationToken, bool probe)
    {
        var members = group.Select(t => t.Destination.Oid).ToHashSet();
        var cycle = catalog.ForeignKeys.Where(e => !e.IsSelfReference && members.Contains(e.Child) && members.Contains(e.Parent)).ToArray();
        if (cycle.All(e => e.Deferrable))
        {
            if (probe)
            {
                return new CycleGuard(destination, catalog, group, cycle, replica: false);
            }

            await ExecuteAsync(destination, $"SET CONSTRAINTS {Names(catalog, cycle)} DEFERRED", cancellationToken).ConfigureAwait(false);
            return new CycleGuard(destination, catalog, group, cycle, replica: false);
        }

        try
        {
            // A probe undoes the setting again: it only asks whether the role may make it.
            var end = probe ? "ROLLBACK TO SAVEPOINT omega_cycle; RELEASE SAVEPOINT omega_cycle" : "RELEASE SAVEPOINT omega_cycle";
            await ExecuteAsync(destination, $"SAVEPOINT omega_cycle; SET LOCAL session_replication_role = replica; {end}", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == "42501")
        {
            await ExecuteAsync(destination, "ROLLBACK TO SAVEPOINT omega_cycle; RELEASE SAVEPOINT omega_cycle", cancellationToken).ConfigureAwait(false);
            throw new OmegaException(ForeignKeyCycleErrorId, OmegaErrorCategory.InvalidOperation,
                $"The tables {string.Join(", ", group.Select(t => t.FullName))} reference each other ({Describe(catalog, cycle)}), so no order inserts them with every foreign key checked, " +
                $"and the destination role '{destination.UserName}' may not set session_replication_role. Make one of these foreign keys DEFERRABLE, copy as a superuser, or leave one of the tables out with -Table.",
                group.Select(t => t.FullName).ToArray(), ex);
        }

        return new CycleGuard(destination, catalog, group, cycle, replica: true);
    }

    /// <summary>Checks the group's foreign keys now that all its rows are in, and turns the server's checks back on.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (!_replica)
        {
            try
            {
                await ExecuteAsync(_destination, $"SET CONSTRAINTS {Names(_catalog, _cycle)} IMMEDIATE", cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == "23503")
            {
                throw Violation(ex.ConstraintName ?? "?", ex.TableName ?? "?", ex.MessageText, ex);
            }

            return;
        }

        await ExecuteAsync(_destination, "SET LOCAL session_replication_role = origin", cancellationToken).ConfigureAwait(false);
        var members = _group.Select(t => t.Destination.Oid).ToHashSet();
        foreach (var edge in _catalog.ForeignKeys.Where(e => members.Contains(e.Child)))
        {
            var child = _catalog.ByOid(edge.Child)!;
            var orphans = await ForeignKeyVerifier.CountOrphansAsync(_destination, child, _catalog.ByOid(edge.Parent)!, edge, cancellationToken).ConfigureAwait(false);
            if (orphans > 0)
            {
                throw Violation(edge.Name, child.FullName, $"{orphans} rows reference rows of {_catalog.ByOid(edge.Parent)} that are not there", null);
            }
        }
    }

    private static OmegaException Violation(string constraint, string table, string detail, Exception? inner) =>
        new(ForeignKeyViolationErrorId, OmegaErrorCategory.InvalidData,
            $"The foreign key {constraint} of {table} does not hold after the copy ({detail}); nothing was copied. Include the referenced table in -Table, or copy it into the destination first.",
            table, inner);

    private static string Names(DataCatalog catalog, IEnumerable<ForeignKeyEdge> edges) =>
        string.Join(", ", edges.Select(e => $"{Sql.Quote(catalog.ByOid(e.Child)!.Schema)}.{Sql.Quote(e.Name)}").Distinct());

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
