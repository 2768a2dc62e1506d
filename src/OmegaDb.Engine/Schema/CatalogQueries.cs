namespace OmegaDb.Schema;

/// <summary>
/// The catalog SQL behind <see cref="SchemaReader"/>. Each query covers one kind of object for
/// every selected relation or schema at once (oid arrays as parameters), so the number of
/// queries never grows with the schema. They run with search_path empty: everything is
/// written schema-qualified, and the pg_get_* functions qualify every name outside pg_catalog.
/// Names are returned raw (not quoted); ordering is left to the client, which sorts ordinally.
/// Comments are looked up per object through pg_description's index (a LATERAL subquery that
/// LIMIT keeps from being flattened into a join): right after a bulk load the catalogs'
/// statistics are stale, and a join planned on them compared every column with every comment.
/// </summary>
internal static class CatalogQueries
{
    /// <summary>Read before search_path is cleared, so it can be put back.</summary>
    public const string Session = """
        SELECT pg_catalog.current_setting('search_path'),
               pg_catalog.current_setting('server_version'),
               pg_catalog.current_database()
        """;

    /// <summary>
    /// As <see cref="Session"/>, and the transaction's snapshot exported for a second
    /// connection to share; not on a standby, where exporting may be refused and the read
    /// then stays on one connection.
    /// </summary>
    public const string SessionWithSnapshot = """
        SELECT pg_catalog.current_setting('search_path'),
               pg_catalog.current_setting('server_version'),
               pg_catalog.current_database(),
               CASE WHEN NOT pg_catalog.pg_is_in_recovery() THEN pg_catalog.pg_export_snapshot() END
        """;

    /// <summary>
    /// Local to the transaction: our own transaction ends with it, and inside a caller's
    /// transaction <see cref="RestoreSearchPath"/> puts the old value back as well.
    /// </summary>
    public const string ClearSearchPath = "SELECT pg_catalog.set_config('search_path', '', true)";

    /// <summary>$1: the value <see cref="Session"/> read.</summary>
    public const string RestoreSearchPath = "SELECT pg_catalog.set_config('search_path', $1, true)";

    public const string Savepoint = "SAVEPOINT omegadb_schema_read";

    public const string ReleaseSavepoint = "RELEASE SAVEPOINT omegadb_schema_read";

    public const string RollbackToSavepoint = "ROLLBACK TO SAVEPOINT omegadb_schema_read";

    /// <summary>
    /// Inside <see cref="Savepoint"/>, after anything that must stay (a history row): rolling
    /// back to it undoes only the read's settings (search_path, <see cref="GenericPlans"/>),
    /// whatever the caller's transaction had set before.
    /// </summary>
    public const string SettingsSavepoint = "SAVEPOINT omegadb_schema_settings";

    public const string RollbackToSettingsSavepoint = "ROLLBACK TO SAVEPOINT omegadb_schema_settings";

    public const string ReleaseSettingsSavepoint = "RELEASE SAVEPOINT omegadb_schema_settings";

    /// <summary>
    /// For reads that run the same prepared statements after every migration of a run: with
    /// an oid array parameter PostgreSQL keeps planning each execution afresh (a custom plan
    /// looks cheaper for a short array), which costs more than the catalog lookups themselves.
    /// </summary>
    public const string GenericPlans = "SET LOCAL plan_cache_mode = force_generic_plan";

    public const string ReadOnly = "SET TRANSACTION READ ONLY";

    /// <summary>For the second connection, whose transaction imports the first one's snapshot and so sees exactly the same catalog.</summary>
    public static string ImportSnapshot(string snapshot) => $"SET TRANSACTION SNAPSHOT '{snapshot.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>The second connection's search_path; it ends with that connection's own transaction.</summary>
    public const string ClearSearchPathLocally = "SET LOCAL search_path = ''";

    // Every name starting pg_ is reserved for the system: pg_catalog, pg_toast, pg_temp_N, pg_toast_temp_N.
    private const string UserNamespace = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'";

    /// <summary>Schemas that are neither system schemas nor created by an extension.</summary>
    public const string Namespaces = $"""
        SELECT n.oid, n.nspname
        FROM pg_catalog.pg_namespace n
        WHERE {UserNamespace}
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass AND d.objid = n.oid AND d.deptype = 'e')
        """;

    /// <summary>
    /// The relations that can be captured, for the client to filter by name. Extension members
    /// are left out, and so are identity sequences (internal to their column).
    /// </summary>
    public const string Relations = $"""
        SELECT c.oid, n.nspname, c.relname, c.relkind
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
          AND {UserNamespace}
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid
                            AND (d.deptype = 'e' OR (d.deptype = 'i' AND c.relkind = 'S')))
        """;

    /// <summary>$1: relation oids. As <see cref="Relations"/>, among those relations only.</summary>
    public const string RelationsAmong = Relations + "  AND c.oid = ANY($1)\n";

    /// <summary>$1: table oids. Parents come in inhseqno order; a partition has exactly one.</summary>
    public const string Tables = """
        SELECT c.oid, c.relkind, c.relrowsecurity, c.relispartition,
               CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
               CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
               parents.names,
               ds.description
        FROM pg_catalog.pg_class c
        LEFT JOIN LATERAL (
            SELECT pg_catalog.array_agg(pn.nspname || '.' || pc.relname ORDER BY i.inhseqno) AS names
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
            JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE i.inhrelid = c.oid) parents ON true
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE c.oid = ANY($1)
        """;

    /// <summary>
    /// $1: table and view oids. The client orders columns by attnum and numbers them among the
    /// live ones. A generated column's expression is its pg_attrdef entry. A collation is
    /// reported only when it differs from the type's default. Expressions are printed the way
    /// psql's \d shows them (pretty). A default cannot refer to a column, so it is deparsed
    /// without its table: naming the table would make PostgreSQL open every table, the
    /// largest cost of this query on a cold connection.
    /// </summary>
    public const string Columns = """
        SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
               CASE WHEN a.atthasdef THEN
                   pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END, true)
               END,
               a.attgenerated, a.attidentity,
               CASE WHEN a.attcollation <> t.typcollation THEN
                   CASE WHEN co.collnamespace = 'pg_catalog'::pg_catalog.regnamespace THEN co.collname
                        ELSE cn.nspname || '.' || co.collname END
               END,
               ds.description
        FROM pg_catalog.pg_attribute a
        JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = a.attrelid AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = a.attnum LIMIT 1) ds ON true
        WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
        """;

    /// <summary>
    /// $1: the oids of the tables whose constraints to read; $2: every table of the read.
    /// NOT NULL is a column property in PostgreSQL 15, not a constraint row.
    /// Key columns come as attnums for the client to name from the columns it read; only a
    /// foreign key to a table outside the read has its referenced columns named here.
    /// A foreign key to a partitioned table also gets one hidden row per referenced partition,
    /// on the same table with the same name; only the user's constraint is kept.
    /// </summary>
    public const string Constraints = """
        SELECT con.conrelid, con.conname, con.contype, con.conkey,
               pg_catalog.pg_get_constraintdef(con.oid), con.convalidated, con.condeferrable, con.condeferred,
               CASE WHEN con.contype = 'f' THEN rn.nspname || '.' || rc.relname END,
               con.confrelid, con.confkey,
               CASE WHEN con.contype = 'f' AND NOT con.confrelid = ANY($2) THEN
                   ARRAY(SELECT a.attname
                         FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                         ORDER BY k.ord)
               END,
               ds.description
        FROM pg_catalog.pg_constraint con
        LEFT JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
        LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        LEFT JOIN pg_catalog.pg_constraint parent ON parent.oid = con.conparentid
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = con.oid AND dsc.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE con.conrelid = ANY($1) AND con.contype IN ('p', 'f', 'u', 'c', 'x')
          AND (parent.oid IS NULL OR parent.conrelid <> con.conrelid)
        """;

    /// <summary>
    /// $1: table and materialized view oids. Key and INCLUDE columns are cut from the
    /// definition by the client (<see cref="IndexDefinition"/>), which keeps opclasses,
    /// collations and ordering that pg_get_indexdef(oid, k, true) would drop.
    /// </summary>
    public const string Indexes = """
        SELECT i.indrelid, ic.relname, am.amname, i.indnkeyatts, i.indnatts, i.indisunique, i.indisprimary, i.indisvalid,
               con.conname,
               pg_catalog.pg_get_indexdef(i.indexrelid),
               CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) END,
               ds.description
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
        LEFT JOIN pg_catalog.pg_constraint con
               ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = i.indexrelid AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE i.indrelid = ANY($1)
        """;

    /// <summary>$1: table and view oids. Internal triggers (those behind foreign keys) are part of their constraint.</summary>
    public const string Triggers = """
        SELECT t.tgrelid, t.tgname, t.tgtype, t.tgenabled, pn.nspname || '.' || p.proname,
               pg_catalog.pg_get_triggerdef(t.oid)
        FROM pg_catalog.pg_trigger t
        JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
        JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
        WHERE t.tgrelid = ANY($1) AND NOT t.tgisinternal
        """;

    /// <summary>$1: view and materialized view oids. WITH CHECK OPTION and the security options live in reloptions, not in the definition.</summary>
    public const string Views = """
        SELECT c.oid, pg_catalog.pg_get_viewdef(c.oid, true), ds.description, c.reloptions
        FROM pg_catalog.pg_class c
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = c.oid AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE c.oid = ANY($1)
        """;

    /// <summary>$1: sequence oids. The definition only: the current value is data.</summary>
    public const string Sequences = """
        SELECT s.seqrelid, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax,
               s.seqcache, s.seqcycle, owner.name, ds.description
        FROM pg_catalog.pg_sequence s
        LEFT JOIN LATERAL (
            SELECT tn.nspname || '.' || tc.relname || '.' || ta.attname AS name
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
            JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
            JOIN pg_catalog.pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid
            WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = s.seqrelid
              AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.deptype = 'a'
            LIMIT 1) owner ON true
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = s.seqrelid AND dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE s.seqrelid = ANY($1)
        """;

    /// <summary>
    /// $1: schema oids. Enums, domains, standalone composites and ranges; array types, the
    /// row types of tables and the multiranges PostgreSQL makes for each range are implied
    /// by other objects and left out.
    /// </summary>
    public const string Types = """
        SELECT n.nspname, t.typname, t.typtype,
               CASE t.typtype WHEN 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod)
                              WHEN 'r' THEN pg_catalog.format_type(r.rngsubtype, NULL) END,
               t.typnotnull,
               CASE WHEN t.typtype = 'd' THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0, true) END,
               labels.list, checks.list, attributes.list,
               ds.description
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_catalog.pg_class rel ON rel.oid = t.typrelid
        LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
        LEFT JOIN LATERAL (
            SELECT pg_catalog.array_agg(e.enumlabel ORDER BY e.enumsortorder) AS list
            FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid) labels ON true
        LEFT JOIN LATERAL (
            SELECT pg_catalog.array_agg(c.conname || ': ' || pg_catalog.pg_get_constraintdef(c.oid)) AS list
            FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') checks ON true
        LEFT JOIN LATERAL (
            SELECT pg_catalog.array_agg(a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY a.attnum) AS list
            FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) attributes ON true
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = t.oid AND dsc.classoid = 'pg_catalog.pg_type'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE t.typnamespace = ANY($1)
          AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND rel.relkind = 'c'))
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.objid = t.oid AND d.deptype = 'e')
        """;

    /// <summary>
    /// $1: schema oids. Functions made implicitly for another object (a range type's
    /// constructors) depend on it internally and are left out with extension members.
    /// pg_get_functiondef refuses aggregates, whose parts come raw for the client to print.
    /// </summary>
    public const string Functions = """
        SELECT n.nspname, p.proname, p.prokind,
               pg_catalog.pg_get_function_identity_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid),
               l.lanname, p.provolatile, p.prosecdef,
               CASE WHEN p.prokind <> 'a' THEN pg_catalog.pg_get_functiondef(p.oid) END,
               ds.description,
               ag.aggkind, ag.aggnumdirectargs,
               ag.aggtransfn::pg_catalog.regproc::text, pg_catalog.format_type(ag.aggtranstype, NULL), ag.aggtransspace,
               NULLIF(ag.aggfinalfn, 0)::pg_catalog.regproc::text, ag.aggfinalextra, ag.aggfinalmodify,
               NULLIF(ag.aggcombinefn, 0)::pg_catalog.regproc::text,
               NULLIF(ag.aggserialfn, 0)::pg_catalog.regproc::text, NULLIF(ag.aggdeserialfn, 0)::pg_catalog.regproc::text,
               ag.agginitval,
               NULLIF(ag.aggmtransfn, 0)::pg_catalog.regproc::text, NULLIF(ag.aggminvtransfn, 0)::pg_catalog.regproc::text,
               CASE WHEN ag.aggmtranstype <> 0 THEN pg_catalog.format_type(ag.aggmtranstype, NULL) END, ag.aggmtransspace,
               NULLIF(ag.aggmfinalfn, 0)::pg_catalog.regproc::text, ag.aggmfinalextra, ag.aggmfinalmodify, ag.aggminitval,
               NULLIF(ag.aggsortop, 0)::pg_catalog.regoperator::text, p.proparallel
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_catalog.pg_language l ON l.oid = p.prolang
        LEFT JOIN pg_catalog.pg_aggregate ag ON ag.aggfnoid = p.oid
        LEFT JOIN LATERAL (SELECT dsc.description FROM pg_catalog.pg_description dsc
               WHERE dsc.objoid = p.oid AND dsc.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND dsc.objsubid = 0 LIMIT 1) ds ON true
        WHERE p.pronamespace = ANY($1)
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d
                          WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))
        """;

    /// <summary>Extensions created after initdb: plpgsql comes with every database and says nothing about this one.</summary>
    public const string Extensions = """
        SELECT e.extname, e.extversion, n.nspname
        FROM pg_catalog.pg_extension e
        JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        WHERE e.oid >= 16384
        """;
}
