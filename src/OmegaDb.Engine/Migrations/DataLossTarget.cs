namespace OmegaDb.Migrations;

/// <summary>
/// What a statement destroys, in terms an undo can measure before running it: tables whose
/// rows go, columns whose values go, rows a DELETE would remove.
/// </summary>
internal abstract record DataLossTarget(SqlStatement Statement);

/// <summary><c>DROP TABLE [IF EXISTS] a, b [CASCADE]</c>: every row of each table.</summary>
internal sealed record DroppedTables(SqlStatement Statement, IReadOnlyList<SqlObjectName> Tables, bool Cascade) : DataLossTarget(Statement);

/// <summary><c>ALTER TABLE t DROP [COLUMN] [IF EXISTS] c, DROP d</c>: the values of each column.</summary>
internal sealed record DroppedColumns(SqlStatement Statement, SqlObjectName Table, IReadOnlyList<string> Columns) : DataLossTarget(Statement);

/// <summary>
/// <c>TRUNCATE [TABLE] a, b [CASCADE]</c>: every row of each table, and with
/// <see cref="Cascade"/> of every table that references them too.
/// </summary>
internal sealed record TruncatedTables(SqlStatement Statement, IReadOnlyList<SqlObjectName> Tables, bool Cascade) : DataLossTarget(Statement);

/// <summary>
/// <c>[WITH ...] DELETE FROM [ONLY] t [[AS] alias] [USING ...] [WHERE ...]</c>: the rows the
/// condition selects, or all rows without one. The clauses are the statement's own text, so
/// that <c>WITH {With} SELECT count(*) FROM [ONLY] t alias, {Using} WHERE {Where}</c>
/// counts them.
/// </summary>
internal sealed record DeletedRows(SqlStatement Statement, SqlObjectName Table, bool Only, string? Alias, string? With, string? Using, string? Where) : DataLossTarget(Statement);
