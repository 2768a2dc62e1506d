using Npgsql;

namespace OmegaDb.Data;

/// <summary>
/// Moves the destination's serial and identity sequences past the values just copied, so the
/// next INSERT there does not collide with a copied row. A sequence already further on is
/// left where it is; descending sequences are left alone.
/// </summary>
internal static class SequenceAdvancer
{
    public static async Task AdvanceAsync(NpgsqlConnection destination, DataCatalog catalog, IEnumerable<TableCopyPlan> tables, CancellationToken cancellationToken)
    {
        var statements = new List<string>();
        foreach (var table in tables)
        {
            foreach (var sequence in catalog.Sequences.Where(s => s.Table == table.Destination.Oid && s.Increment > 0))
            {
                var column = Sql.Quote(sequence.Column);
                var name = Sql.Literal(sequence.Sequence);
                statements.Add($"SELECT setval({name}, m::bigint) FROM (SELECT max({column}) AS m FROM {table.Destination.FromSql}) x " +
                               $"WHERE m IS NOT NULL AND m >= (SELECT last_value FROM {sequence.Sequence})");
            }
        }

        if (statements.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand(string.Join(";\n", statements), destination);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
