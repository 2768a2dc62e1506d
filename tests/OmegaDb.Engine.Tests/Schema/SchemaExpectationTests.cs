using OmegaDb.Schema.Expectations;
using static OmegaDb.Tests.Schema.ExpectationTrees;
using static OmegaDb.Tests.Schema.SchemaBuilder;

namespace OmegaDb.Tests.Schema;

/// <summary>Test-OmegaSchema -Expect, from the runbook's user_profiles migration onwards.</summary>
public class SchemaExpectationTests
{
    private const string Target = "appdb";

    private static readonly OmegaTable BeforeMigration = Table("public.user_profiles",
        Column("id", "integer", notNull: true), Column("user_id", "integer", notNull: true), Column("display_name", "character varying(100)"),
        PrimaryKey("user_profiles_pkey", "id"),
        new OmegaIndex { Name = "user_profiles_pkey", Method = "btree", Columns = ["id"], Unique = true, Primary = true, Constraint = "user_profiles_pkey" });

    private static readonly OmegaTable AfterMigration = Table("public.user_profiles",
        Column("id", "integer", notNull: true), Column("user_id", "integer", notNull: true), Column("display_name", "character varying(100)"),
        Column("avatar_url", "text"), Column("bio", "text"), Column("preferences", "jsonb", @default: "'{}'::jsonb"),
        PrimaryKey("user_profiles_pkey", "id"),
        new OmegaIndex { Name = "user_profiles_pkey", Method = "btree", Columns = ["id"], Unique = true, Primary = true, Constraint = "user_profiles_pkey" },
        new OmegaIndex { Name = "idx_user_profiles_preferences_gin", Method = "gin", Columns = ["preferences"] },
        new OmegaIndex { Name = "idx_user_profiles_avatar_url", Method = "btree", Columns = ["avatar_url"], Where = "(avatar_url IS NOT NULL)" });

    /// <summary>The runbook's expectation, as a PowerShell user writes it.</summary>
    private static readonly object RunbookExpectation = H("Tables", H("user_profiles", H(
        "Columns", H("avatar_url", "TEXT", "bio", "text", "preferences", "jsonb"),
        "Indexes", A("idx_user_profiles_preferences_gin",
            H("Method", "gin", "Columns", "preferences"),
            H("Name", "idx_user_profiles_avatar_url", "Where", "avatar_url IS NOT NULL")))));

    [Fact]
    public void Before_the_migration_the_runbook_expectation_fails_with_what_is_there()
    {
        var results = Test(Snapshot(BeforeMigration), RunbookExpectation);

        AssertResults(results,
            (true, "Table public.user_profiles exists", "<present>", "<present>"),
            (false, "Column public.user_profiles.avatar_url has type TEXT", "TEXT", "<missing>"),
            (false, "Column public.user_profiles.bio has type text", "text", "<missing>"),
            (false, "Column public.user_profiles.preferences has type jsonb", "jsonb", "<missing>"),
            (false, "Index public.user_profiles.idx_user_profiles_preferences_gin exists", "<present>", "<missing>"),
            (false, "Index on public.user_profiles with Method gin, Columns preferences exists", "Method gin, Columns preferences", "user_profiles_pkey (unique btree: id)"),
            (false, "Index public.user_profiles.idx_user_profiles_avatar_url has predicate avatar_url IS NOT NULL", "avatar_url IS NOT NULL", "<missing>"));
    }

    [Fact]
    public void After_the_migration_the_runbook_expectation_passes()
    {
        var results = Test(Snapshot(AfterMigration), RunbookExpectation);

        AssertResults(results,
            (true, "Table public.user_profiles exists", "<present>", "<present>"),
            (true, "Column public.user_profiles.avatar_url has type TEXT", "TEXT", "text"),
            (true, "Column public.user_profiles.bio has type text", "text", "text"),
            (true, "Column public.user_profiles.preferences has type jsonb", "jsonb", "jsonb"),
            (true, "Index public.user_profiles.idx_user_profiles_preferences_gin exists", "<present>", "<present>"),
            (true, "Index on public.user_profiles with Method gin, Columns preferences exists", "Method gin, Columns preferences", "idx_user_profiles_preferences_gin"),
            (true, "Index public.user_profiles.idx_user_profiles_avatar_url has predicate avatar_url IS NOT NULL", "avatar_url IS NOT NULL", "(avatar_url IS NOT NULL)"));
        Assert.All(results, r => Assert.Equal(Target, r.Target));
    }

    [Fact]
    public void The_same_expectation_in_JSON_gives_the_same_results_in_the_order_written()
    {
        const string json = """
            {
              "tables": {
                "user_profiles": {
                  "columns": { "preferences": "jsonb", "bio": "text", "avatar_url": "TEXT" },
                  "indexes": [
                    "idx_user_profiles_preferences_gin",
                    { "method": "gin", "columns": ["preferences"] },
                    { "name": "idx_user_profiles_avatar_url", "where": "avatar_url IS NOT NULL" }
                  ]
                }
              }
            }
            """;

        var results = SchemaTester.Test(Snapshot(AfterMigration), SchemaExpectation.FromJson(json), Target);

        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
        Assert.Equal(
            ["public.user_profiles.preferences", "public.user_profiles.bio", "public.user_profiles.avatar_url"],
            results.Where(r => r.Assertion.StartsWith("Column", StringComparison.Ordinal)).Select(r => r.Assertion.Split(' ')[1]));
    }

    [Fact]
    public void An_ordered_hashtable_keeps_its_order_and_a_plain_one_is_sorted()
    {
        var schema = Snapshot(AfterMigration);

        var ordered = Test(schema, H("Tables", H("user_profiles", H("Columns", Ordered("bio", "text", "avatar_url", "text")))));
        var plain = Test(schema, H("Tables", H("user_profiles", H("Columns", H("bio", "text", "avatar_url", "text")))));

        Assert.Equal(["Table", "bio", "avatar_url"], ordered.Select(ColumnOrTable));
        Assert.Equal(["Table", "avatar_url", "bio"], plain.Select(ColumnOrTable));

        static string ColumnOrTable(OmegaSchemaTestResult r) => r.Assertion.StartsWith("Table", StringComparison.Ordinal) ? "Table" : r.Assertion.Split(' ')[1].Split('.')[^1];
    }

    [Fact]
    public void When_the_table_is_missing_every_assertion_about_it_fails_with_table_missing()
    {
        var results = Test(Snapshot(), RunbookExpectation);

        Assert.Equal((false, "<missing>"), (results[0].Passed, results[0].Actual));
        Assert.Equal("Table user_profiles exists", results[0].Assertion);
        Assert.All(results.Skip(1), r => Assert.Equal((false, "<table missing>"), (r.Passed, r.Actual)));
        Assert.Equal(7, results.Count);
    }

    [Fact]
    public void Columns_check_every_property_given()
    {
        var table = Table("app.orders",
            new OmegaColumn { Name = "id", Type = "bigint", NotNull = true, Identity = "Always" },
            new OmegaColumn { Name = "status", Type = "character varying(20)", NotNull = true, Default = "'new'::character varying", Collation = "\"C\"" },
            new OmegaColumn { Name = "total", Type = "numeric(12,2)", Generated = "(price * (quantity)::numeric)", Comment = "with tax" });
        var expectation = H("Tables", H("app.orders", H("Columns", Ordered(
            "id", H("Type", "int8", "Nullable", false, "Identity", "always", "Position", 1),
            "status", H("type", "varchar(20)", "notnull", true, "default", "'new'", "collation", "C"),
            "total", H("Type", "decimal(12, 2)", "Generated", "price * quantity", "Comment", "with tax", "Default", null),
            "legacy", null))));

        var results = Test(Snapshot(table), expectation);

        AssertResults(results,
            (true, "Table app.orders exists", "<present>", "<present>"),
            (true, "Column app.orders.id has type int8", "int8", "bigint"),
            (true, "Column app.orders.id is NOT NULL", "False", "False"),
            (true, "Column app.orders.id has identity Always", "Always", "Always"),
            (true, "Column app.orders.id has position 1", "1", "1"),
            (true, "Column app.orders.status has type varchar(20)", "varchar(20)", "character varying(20)"),
            (true, "Column app.orders.status is NOT NULL", "True", "True"),
            (true, "Column app.orders.status has default 'new'", "'new'", "'new'::character varying"),
            (true, "Column app.orders.status has collation C", "C", "\"C\""),
            (true, "Column app.orders.total has type decimal(12, 2)", "decimal(12, 2)", "numeric(12,2)"),
            (true, "Column app.orders.total has no default", "<none>", "<none>"),
            (true, "Column app.orders.total has generation expression price * quantity", "price * quantity", "(price * (quantity)::numeric)"),
            (true, "Column app.orders.total has comment with tax", "with tax", "with tax"),
            (false, "Column app.orders.legacy exists", "<present>", "<missing>"));
    }

    [Fact]
    public void A_wrong_column_type_fails_and_shows_the_printed_type()
    {
        var results = Test(Snapshot(Table("public.t", Column("code", "character varying(30)"))),
            H("Tables", H("t", H("Columns", H("code", "varchar(20)")))));

        Assert.Equal((false, "varchar(20)", "character varying(30)"), (results[1].Passed, results[1].Expected, results[1].Actual));
    }

    [Fact]
    public void Constraints_and_primary_key_by_name_or_description()
    {
        var table = Table("public.orders", Column("id", "integer"), Column("user_id", "integer"),
            PrimaryKey("orders_pkey", "id"),
            new OmegaConstraint
            {
                Name = "orders_user_fk", Type = "ForeignKey", Columns = ["user_id"], ReferencedTable = "public.users", ReferencedColumns = ["id"],
                Validated = false, Definition = "FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID",
            });
        var expectation = H("Tables", H("orders", H(
            "PrimaryKey", "id",
            "Constraints", A(
                "orders_pkey",
                H("Type", "foreign key", "Columns", "user_id", "References", "users"),
                H("Name", "orders_user_fk", "Validated", true),
                H("Type", "Check")))));

        var results = Test(Snapshot(table), expectation);

        AssertResults(results,
            (true, "Table public.orders exists", "<present>", "<present>"),
            (true, "Table public.orders has primary key id", "id", "id"),
            (true, "Constraint public.orders.orders_pkey exists", "<present>", "<present>"),
            (true, "Constraint on public.orders with Type ForeignKey, Columns user_id, References users exists", "Type ForeignKey, Columns user_id, References users", "orders_user_fk"),
            (false, "Constraint public.orders.orders_user_fk is validated", "True", "False"),
            (false, "Constraint on public.orders with Type Check exists", "Type Check",
                "orders_pkey (PRIMARY KEY (id)); orders_user_fk (FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID)"));
    }

    [Fact]
    public void Indexes_match_on_every_property_given_and_a_described_index_needs_them_all()
    {
        var table = Table("public.users", Column("email", "character varying(200)"),
            new OmegaIndex { Name = "users_email_key", Method = "btree", Columns = ["lower((email)::text)"], Unique = true, Include = ["id"] });

        var results = Test(Snapshot(table), H("Tables", H("users", H("Indexes", A(
            H("Columns", "lower(email)", "Unique", true, "Include", "id"),
            H("Columns", "lower(email)", "Unique", false),
            H("Name", "users_email_key", "Method", "BTREE", "Columns", "lower(email) ASC", "Where", null, "Valid", true))))));

        AssertResults(results,
            (true, "Table public.users exists", "<present>", "<present>"),
            (true, "Index on public.users with Columns lower(email), Include id, Unique True exists", "Columns lower(email), Include id, Unique True", "users_email_key"),
            (false, "Index on public.users with Columns lower(email), Unique False exists", "Columns lower(email), Unique False", "users_email_key (unique btree: lower((email)::text))"),
            (true, "Index public.users.users_email_key has method BTREE", "BTREE", "btree"),
            (true, "Index public.users.users_email_key has columns lower(email) ASC", "lower(email) ASC", "lower((email)::text)"),
            (true, "Index public.users.users_email_key has no predicate", "<none>", "<none>"),
            (true, "Index public.users.users_email_key is valid", "True", "True"));
    }

    [Fact]
    public void Triggers_by_name_and_by_description()
    {
        var table = Table("public.t", Trigger("t_touch"));

        var results = Test(Snapshot(table), H("Tables", H("t", H("Triggers", A(
            "t_touch",
            "t_missing",
            H("Timing", "before", "Events", "UPDATE", "Function", "touch()"),
            H("Name", "t_touch", "Level", "Statement"))))));

        Assert.Equal([true, true, false, true, false], results.Select(r => r.Passed));
        Assert.Equal("Trigger public.t.t_touch has level Statement", results[4].Assertion);
        Assert.Equal("Row", results[4].Actual);
    }

    [Fact]
    public void Schema_level_objects()
    {
        var schema = Snapshot(
            "app",
            Enum("public.mood", "sad", "ok", "happy"), Domain("public.email", "text"),
            Sequence("public.invoice_no"),
            Function("public.total", "p_order integer, p_tax numeric(5,2)", returns: "numeric"), Function("app.total"),
            Extension("pgcrypto", "1.3"),
            View("public.v_active"), View("public.mv_report", materialized: true));
        var expectation = Ordered(
            "Schemas", A("app", "audit"),
            "Extensions", H("pgcrypto", "1.3", "citext", null),
            "Types", Ordered("mood", A("sad", "ok", "happy"), "email", H("Kind", "domain", "BaseType", "text"), "status", null),
            "Sequences", H("invoice_no", H("Increment", 1, "DataType", "int8")),
            "Views", H("v_active", null, "mv_report", H("Materialized", true)),
            "MaterializedViews", A("mv_report", "v_active"),
            "Functions", A("total", "total(integer, numeric)", "public.total(int, numeric(5,2))", "total(text)", "app.total()"));

        var results = Test(schema, expectation);

        AssertResults(results,
            (true, "Schema app exists", "<present>", "<present>"),
            (false, "Schema audit exists", "<present>", "<missing>"),
            (false, "Extension citext exists", "<present>", "<missing>"),
            (true, "Extension pgcrypto has version 1.3", "1.3", "1.3"),
            (true, "Type public.mood has values sad, ok, happy", "sad, ok, happy", "sad, ok, happy"),
            (true, "Type public.email has kind Domain", "Domain", "Domain"),
            (true, "Type public.email has base type text", "text", "text"),
            (false, "Type status exists", "<present>", "<missing>"),
            (true, "Sequence public.invoice_no has data type int8", "int8", "bigint"),
            (true, "Sequence public.invoice_no has increment 1", "1", "1"),
            (true, "View public.mv_report exists", "<present>", "<present>"),
            (true, "View public.mv_report is materialized", "True", "True"),
            (true, "View public.v_active exists", "<present>", "<present>"),
            (true, "Materialized view public.mv_report exists", "<present>", "<present>"),
            (false, "Materialized view v_active exists", "<present>", "<not materialized>"),
            (true, "Function total exists", "<present>", "app.total(), public.total(p_order integer, p_tax numeric(5,2))"),
            (false, "Function total(integer, numeric) exists", "<present>", "<missing>"),
            (true, "Function public.total(int, numeric(5,2)) exists", "<present>", "public.total(p_order integer, p_tax numeric(5,2))"),
            (false, "Function total(text) exists", "<present>", "<missing>"),
            (true, "Function app.total() exists", "<present>", "app.total()"));
    }

    [Fact]
    public void A_bare_name_in_several_schemas_prefers_public_and_is_otherwise_ambiguous()
    {
        var schema = Snapshot(Table("public.t"), Table("app.t"), Table("app.u"), Table("audit.u"));

        var results = Test(schema, H("Tables", A("t", "u", "audit.u")));

        AssertResults(results,
            (true, "Table public.t exists", "<present>", "<present>"),
            (false, "Table u exists", "<present>", "<ambiguous: app.u, audit.u>"),
            (true, "Table audit.u exists", "<present>", "<present>"));
    }

    [Fact]
    public void The_absent_sections_pass_for_what_is_not_there_and_fail_for_what_is()
    {
        var schema = Snapshot(AfterMigration, Table("public.old_profiles"), Enum("public.mood", "ok"), Extension("hstore"),
            Function("public.legacy_fn", "integer"), View("public.v_old"));
        var expectation = Ordered(
            "Tables", H("user_profiles", H("Absent", Ordered(
                "Columns", A("legacy", "bio"),
                "Indexes", "idx_user_profiles_preferences_gin",
                "Constraints", "user_profiles_legacy_check",
                "Triggers", "user_profiles_audit"))),
            "Absent", Ordered(
                "Tables", A("old_profiles", "gone"),
                "Columns", A("user_profiles.avatar_url", "public.user_profiles.nickname", "nowhere.col"),
                "Indexes", A("idx_user_profiles_avatar_url", "public.idx_gone", "user_profiles.idx_user_profiles_preferences_gin"),
                "Constraints", "user_profiles.user_profiles_pkey",
                "Types", "mood",
                "Extensions", "pgcrypto",
                "Functions", A("legacy_fn(integer)", "legacy_fn(text)"),
                "Views", "v_old",
                "Schemas", "archive"));

        var results = Test(schema, expectation);

        AssertResults(results,
            (true, "Table public.user_profiles exists", "<present>", "<present>"),
            (true, "Column public.user_profiles.legacy is absent", "<absent>", "<absent>"),
            (false, "Column public.user_profiles.bio is absent", "<absent>", "<present>"),
            (false, "Index public.user_profiles.idx_user_profiles_preferences_gin is absent", "<absent>", "<present>"),
            (true, "Constraint public.user_profiles.user_profiles_legacy_check is absent", "<absent>", "<absent>"),
            (true, "Trigger public.user_profiles.user_profiles_audit is absent", "<absent>", "<absent>"),
            (true, "Schema archive is absent", "<absent>", "<absent>"),
            (true, "Extension pgcrypto is absent", "<absent>", "<absent>"),
            (false, "Type public.mood is absent", "<absent>", "<present>"),
            (false, "Table public.old_profiles is absent", "<absent>", "<present>"),
            (true, "Table gone is absent", "<absent>", "<absent>"),
            (false, "View public.v_old is absent", "<absent>", "<present>"),
            (false, "Function public.legacy_fn(integer) is absent", "<absent>", "<present>"),
            (true, "Function legacy_fn(text) is absent", "<absent>", "<absent>"),
            (false, "Column public.user_profiles.avatar_url is absent", "<absent>", "<present>"),
            (true, "Column public.user_profiles.nickname is absent", "<absent>", "<absent>"),
            (true, "Column nowhere.col is absent", "<absent>", "<table missing>"),
            (false, "Index public.user_profiles.idx_user_profiles_avatar_url is absent", "<absent>", "<present>"),
            (true, "Index public.idx_gone is absent", "<absent>", "<absent>"),
            (false, "Index public.user_profiles.idx_user_profiles_preferences_gin is absent", "<absent>", "<present>"),
            (false, "Constraint public.user_profiles.user_profiles_pkey is absent", "<absent>", "<present>"));
    }

    /// <summary>
    /// A query is compared token by token with the expression rules; only an expression's own
    /// parentheses are understood, so the WHERE keeps the ones pg_get_viewdef prints.
    /// </summary>
    [Fact]
    public void Views_check_their_columns_and_definition()
    {
        var schema = Snapshot(View("public.v_users", " SELECT users.id,\n    lower(users.email) AS email\n   FROM public.users\n  WHERE (users.active = true);", false,
            Column("id", "integer"), Column("email", "text")));

        var results = Test(schema, H("Views", H("v_users", H(
            "Definition", "SELECT users.id, lower(users.email) AS email FROM users WHERE (users.active = true)",
            "Columns", H("id", "int", "email", "varchar")))));

        AssertResults(results,
            (true, "View public.v_users exists", "<present>", "<present>"),
            (true, "View public.v_users has definition SELECT users.id, lower(users.email) AS email FROM users WHERE (users.active = true)", "SELECT users.id, lower(users.email) AS email FROM users WHERE (users.active = true)",
                " SELECT users.id,\n    lower(users.email) AS email\n   FROM public.users\n  WHERE (users.active = true);"),
            (false, "Column public.v_users.email has type varchar", "varchar", "text"),
            (true, "Column public.v_users.id has type int", "int", "integer"));
    }

    private static IReadOnlyList<OmegaSchemaTestResult> Test(OmegaSchema schema, object expectation) =>
        SchemaTester.Test(schema, SchemaExpectation.Parse(expectation), Target);

    private static void AssertResults(IReadOnlyList<OmegaSchemaTestResult> results, params (bool Passed, string Assertion, string Expected, string Actual)[] expected) =>
        Assert.Equal(expected, results.Select(r => (r.Passed, r.Assertion, r.Expected!, r.Actual!)));
}
