using Npgsql;
using OmegaDb.Migrations;

namespace OmegaDb.Data;

/// <summary>
/// Checks on the source, before the copy starts, that the user's SQL fragments make sense
/// there: each -Where against each table it filters, each Fixed mask value against its
/// column's type. A mistake then fails with its table named and nothing copied.
/// </summary>
internal static class CopyChecks
{
    public static async Task CheckAsync(NpgsqlConnection source, DataCopyPlan plan, CancellationToken cancellationToken)
    {
        foreach (var table in plan.Tables)
        {
            if (table.Where is { } where)
            {
                RefuseSeveralStatements(where);
                await ProbeAsync(source, $"EXPLAIN SELECT 1 FROM {table.Source.FromSql} WHERE ({where})", ex => new OmegaException(
                    DataCopyPlanner.InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The filter \"{where}\" does not work on {table.FullName}: {ex.MessageText}. Fix the predicate, or give per-table filters with a hashtable.", table.FullName, ex),
                    cancellationToken).ConfigureAwait(false);
            }

            foreach (var (column, mask) in table.Masks.Where(m => m.Value.Kind == MaskKind.Fixed))
            {
                var type = table.Source.Column(column)!.Type;
                await ProbeAsync(source, $"SELECT {Sql.Literal(mask.Value!)}::{type}", ex => new OmegaException(
                    ColumnMask.InvalidMaskErrorId, OmegaErrorCategory.InvalidArgument,
                    $"The Fixed mask value '{mask.Value}' is not a valid {type} for {table.FullName}.{column}: {ex.MessageText}.", $"{table.FullName}.{column}", ex),
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A predicate is pasted into the copy's own statements; a ';' in it would start another statement.</summary>
    private static void RefuseSeveralStatements(string where)
    {
        IReadOnlyList<SqlToken> tokens;
        try
        {
            tokens = SqlLexer.Tokenize(where);
        }
        catch (SqlSyntaxException ex)
        {
            throw new OmegaException(DataCopyPlanner.InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                $"The filter \"{where}\" is not valid SQL: {ex.Message}", where, ex);
        }

        if (tokens.Any(t => t.IsPunctuation(";")))
        {
            throw new OmegaException(DataCopyPlanner.InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
                $"The filter \"{where}\" contains ';'. A filter is one condition, as after WHERE; combine conditions with AND / OR.", where);
        }
    }

    private static async Task ProbeAsync(NpgsqlConnection source, string sql, Func<PostgresException, OmegaException> refusal, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, source);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw refusal(ex);
        }
    }
}
