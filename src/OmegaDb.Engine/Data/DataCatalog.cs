using Npgsql;

namespace OmegaDb.Data;

/// <summary>
/// The tables, columns, foreign keys and column sequences of one database, read with three
/// catalog queries: what the copy needs and nothing more (the full schema reader does far more).
/// </summary>
internal sealed class DataCatalog
{
    private DataCatalog(IReadOnlyList<CopyTable> tables, IReadOnlyList<ForeignKeyEdge> foreignKeys, IReadOnlyList<ColumnSequence> sequences)
    {
        Tables = tables;
        ForeignKeys = foreignKeys;
        Sequences = sequences;
        _byOid = tables.ToDictionary(t => t.Oid);
        _byName = tables.ToDictionary(t => (t.Schema, t.Name));
    }

    private readonly Dictionary<uint, CopyTable> _byOid;
    private readonly Dictionary<(string, string), CopyTable> _byName;

    public IReadOnlyList<CopyTable> Tables { get; }

    public IReadOnlyList<ForeignKeyEdge> ForeignKeys { get; }

    public IReadOnlyList<ColumnSequence> Sequences { get; }

    public CopyTable? ByOid(uint oid) => _byOid.GetValueOrDefault(oid);

    public CopyTable? ByName(string schema, string name) => _byName.GetValueOrDefault((schema, name));

    // Tables of extensions (their configuration tables included) belong to CREATE EXTENSION, not to the data.
    private const string TablesSql = """
        SELECT c.oid, n.nspname, c.relname, c.relkind = 'p',
               a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated <> '',
               b.typcategory = 'S',
               (b.typtype = 'c' OR b.typsend::oid = 0 OR b.typreceive::oid = 0
                 OR (b.oid >= 16384 AND b.typtype <> 'e')
                 OR (e.oid IS NOT NULL AND (e.oid >= 16384 OR e.typtype = 'c')))
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          JOIN pg_type t ON t.oid = a.atttypid
          JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
          LEFT JOIN pg_type e ON e.oid = b.typelem AND b.typcategory = 'A'
         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
           AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\_%'
           AND NOT EXISTS (SELECT 1 FROM pg_depend d
                            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
         ORDER BY n.nspname, c.relname, a.attnum
        """;

    // Constraints a partitioned table's foreign key clones onto its partitions have a parent; the parent's is enough.
    private const string ForeignKeysSql = """
        SELECT con.conname, con.conrelid, con.confrelid,
               ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i),
               ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
                       JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i),
               con.condeferrable
          FROM pg_constraint con
         WHERE con.contype = 'f' AND con.conparentid = 0
         ORDER BY con.conrelid, con.conname
        """;

    // Serial columns own their sequence ('a'), identity columns have an internal one ('i').
    private const string SequencesSql = """
        SELECT d.refobjid, a.attname, quote_ident(sn.nspname) || '.' || quote_ident(s.relname), q.seqincrement
          FROM pg_depend d
          JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
          JOIN pg_namespace sn ON sn.oid = s.relnamespace
          JOIN pg_sequence q ON q.seqrelid = s.oid
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        """;

    public static async Task<DataCatalog> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tables = new List<CopyTable>();
        await using (var command = new NpgsqlCommand(TablesSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            uint current = 0;
            (string Schema, string Name, bool Partitioned) head = (string.Empty, string.Empty, false);
            var columns = new List<CopyColumn>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var oid = reader.GetFieldValue<uint>(0);
                if (oid != current && columns.Count > 0)
                {
                    tables.Add(new CopyTable(current, head.Schema, head.Name, head.Partitioned, columns));
                    columns = [];
                }

                current = oid;
                head = (reader.GetString(1), reader.GetString(2), reader.GetBoolean(3));
                columns.Add(new CopyColumn(reader.GetString(4), reader.GetString(5), reader.GetBoolean(6), reader.GetBoolean(7),
                    !reader.IsDBNull(8) && reader.GetBoolean(8), !reader.IsDBNull(9) && reader.GetBoolean(9)));
            }

            if (columns.Count > 0)
            {
                tables.Add(new CopyTable(current, head.Schema, head.Name, head.Partitioned, columns));
            }
        }

        var foreignKeys = new List<ForeignKeyEdge>();
        await using (var command = new NpgsqlCommand(ForeignKeysSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                foreignKeys.Add(new ForeignKeyEdge(reader.GetString(0), reader.GetFieldValue<uint>(1), reader.GetFieldValue<string[]>(3),
                    reader.GetFieldValue<uint>(2), reader.GetFieldValue<string[]>(4), reader.GetBoolean(5)));
            }
        }

        var sequences = new List<ColumnSequence>();
        await using (var command = new NpgsqlCommand(SequencesSql, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                sequences.Add(new ColumnSequence(reader.GetFieldValue<uint>(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
            }
        }

        return new DataCatalog(tables, foreignKeys, sequences);
    }
}
