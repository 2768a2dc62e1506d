using Npgsql;

namespace OmegaDb.Data;

/// <summary>
/// Counts the rows whose foreign key finds no parent (an anti-join, MATCH SIMPLE: a key with
/// a NULL in it references nothing). Used where the destination's own checks were off.
/// </summary>
internal static class ForeignKeyVerifier
{
    public static async Task<long> CountOrphansAsync(NpgsqlConnection connection, CopyTable child, CopyTable parent, ForeignKeyEdge edge, CancellationToken cancellationToken)
    {
        var present = string.Join(" AND ", edge.ChildColumns.Select(c => $"c.{Sql.Quote(c)} IS NOT NULL"));
        var match = string.Join(" AND ", edge.ChildColumns.Zip(edge.ParentColumns, (c, p) => $"p.{Sql.Quote(p)} = c.{Sql.Quote(c)}"));
        var sql = $"SELECT count(*) FROM {child.FromSql} c WHERE {present} AND NOT EXISTS (SELECT 1 FROM {parent.FromSql} p WHERE {match})";
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
