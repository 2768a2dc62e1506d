namespace OmegaDb.Tests.Schema;

/// <summary>Every kind of object and every property the model has, read from a real database.</summary>
[Collection(CoverageSchema.Collection)]
public sealed class SchemaReaderCoverageTests(CoverageSchema fixture)
{
    private OmegaSchema Schema => fixture.Schema;

    private OmegaTable Table(string name) => Assert.Single(Schema.Tables, t => t.FullName == name);

    private static OmegaColumn Column(OmegaTable table, string name) => Assert.Single(table.Columns, c => c.Name == name);

    private static OmegaIndex Index(OmegaTable table, string name) => Assert.Single(table.Indexes, i => i.Name == name);

    private static OmegaConstraint Constraint(OmegaTable table, string name) => Assert.Single(table.Constraints, c => c.Name == name);

    [Fact]
    public void Snapshot_header_names_the_database_and_fingerprints_the_content()
    {
        Assert.Same(fixture.Database, Schema.Database);
        Assert.Equal(fixture.Database.Database, Schema.DatabaseName);
        Assert.Matches(@"^1[5-9]\.\d+$", Schema.ServerVersion);
        Assert.InRange(Schema.CapturedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        Assert.Equal(TimeSpan.Zero, Schema.CapturedAt.Offset);
        Assert.Matches("^[0-9a-f]{64}$", Schema.Fingerprint);
        Assert.Equal(OmegaDb.Schema.SchemaFingerprint.Compute(Schema), Schema.Fingerprint);
        Assert.Empty(Schema.SchemaFilter);
        Assert.Empty(Schema.TableFilter);
    }

    [Fact]
    public void Schemas_are_the_user_namespaces_without_system_or_history_schemas()
    {
        Assert.Equal(["app", "public"], Schema.Schemas);
        Assert.DoesNotContain(Schema.Tables, t => t.Schema is "omegadb" or "pg_catalog" or "information_schema");
    }

    [Fact]
    public void Lists_are_sorted_ordinally()
    {
        Assert.Equal(Schema.Tables.Select(t => (t.Schema, t.Name)).OrderBy(t => t.Schema, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal),
            Schema.Tables.Select(t => (t.Schema, t.Name)));
        var orders = Table("app.orders");
        Assert.Equal(orders.Indexes.Select(i => i.Name).Order(StringComparer.Ordinal), orders.Indexes.Select(i => i.Name));
        Assert.Equal(orders.Triggers.Select(i => i.Name).Order(StringComparer.Ordinal), orders.Triggers.Select(i => i.Name));
        Assert.Equal(new[] { "add", "add", "forget", "len_step", "total_length", "audit", "touch" }.Order(StringComparer.Ordinal), Schema.Functions.Select(f => f.Name));
        Assert.Equal(["a integer, b integer", "a numeric, b numeric"], Schema.Functions.Where(f => f.Name == "add").Select(f => f.Arguments));
    }

    [Fact]
    public void Table_properties()
    {
        var customers = Table("app.customers");
        Assert.Equal("Table", customers.Kind);
        Assert.True(customers.RowSecurity);
        Assert.Equal("People who buy", customers.Comment);
        Assert.Null(customers.PartitionKey);
        Assert.Empty(customers.Inherits);
        Assert.False(Table("app.orders").RowSecurity);
    }

    [Fact]
    public void Partitioned_table_and_partition()
    {
        var events = Table("app.events");
        Assert.Equal("PartitionedTable", events.Kind);
        Assert.Equal("RANGE (at)", events.PartitionKey);

        var partition = Table("app.events_2024");
        Assert.Equal("Table", partition.Kind);
        Assert.Equal("app.events", partition.PartitionOf);
        Assert.Equal("FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')", partition.PartitionBound);
        Assert.Empty(partition.Inherits);
    }

    [Fact]
    public void Inheritance_parents_in_declared_order()
    {
        var child = Table("app.child_log");
        Assert.Equal(["app.base_log", "app.extra_log"], child.Inherits);
        Assert.Null(child.PartitionOf);
        Assert.Equal(["id", "msg", "extra", "level"], child.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Columns_positions_skip_dropped_columns()
    {
        var customers = Table("app.customers");
        Assert.Equal(["id", "code", "email", "name", "mood", "score", "height_cm", "height_in", "legacy_id", "ticket", "ext_id"], customers.Columns.Select(c => c.Name));
        Assert.Equal(Enumerable.Range(1, 11), customers.Columns.Select(c => c.Position));
    }

    [Fact]
    public void Column_types_nullability_and_defaults()
    {
        var customers = Table("app.customers");
        var name = Column(customers, "name");
        Assert.Equal("character varying(100)", name.Type);
        Assert.True(name.NotNull);
        Assert.False(name.Nullable);
        Assert.Equal("'anon'::character varying", name.Default);

        var mood = Column(customers, "mood");
        Assert.Equal("app.mood", mood.Type);
        Assert.False(mood.NotNull);
        Assert.Equal("'ok'::app.mood", mood.Default);

        Assert.Equal("app.positive", Column(customers, "score").Type);
        Assert.Equal("numeric(5,1)", Column(customers, "height_cm").Type);
        Assert.Equal("nextval('app.ticket_seq'::regclass)", Column(customers, "ticket").Default);
        Assert.Equal("nextval('app.customers_legacy_id_seq'::regclass)", Column(customers, "legacy_id").Default);
        Assert.Equal("text[]", Column(Table("app.orders"), "tags").Type);
        Assert.Equal("timestamp with time zone", Column(Table("app.orders"), "placed_at").Type);
    }

    [Fact]
    public void Identity_and_generated_columns()
    {
        var customers = Table("app.customers");
        var id = Column(customers, "id");
        Assert.Equal("Always", id.Identity);
        Assert.Null(id.Default);
        Assert.True(id.NotNull);
        Assert.Equal("ByDefault", Column(customers, "ext_id").Identity);
        Assert.Null(Column(customers, "name").Identity);

        var generated = Column(customers, "height_in");
        Assert.Equal("height_cm / 2.54", generated.Generated);
        Assert.Null(generated.Default);
        Assert.Null(Column(customers, "name").Generated);
    }

    [Fact]
    public void Collation_only_when_not_the_type_default()
    {
        var customers = Table("app.customers");
        Assert.Equal("C", Column(customers, "code").Collation);
        Assert.Null(Column(customers, "email").Collation);
        Assert.Null(Column(customers, "id").Collation);
    }

    [Fact]
    public void Column_comments()
    {
        var customers = Table("app.customers");
        Assert.Equal("Where to write", Column(customers, "email").Comment);
        Assert.Null(Column(customers, "code").Comment);
    }

    [Fact]
    public void Primary_unique_and_check_constraints()
    {
        var customers = Table("app.customers");
        var primary = Constraint(customers, "customers_pkey");
        Assert.Equal("PrimaryKey", primary.Type);
        Assert.Equal(["id"], primary.Columns);
        Assert.Equal("PRIMARY KEY (id)", primary.Definition);
        Assert.True(primary.Validated);

        var unique = Constraint(customers, "customers_code_key");
        Assert.Equal("Unique", unique.Type);
        Assert.True(unique.Deferrable);
        Assert.True(unique.InitiallyDeferred);
        Assert.Equal("One per code", unique.Comment);
        Assert.Equal("UNIQUE (code) DEFERRABLE INITIALLY DEFERRED", unique.Definition);

        var check = Constraint(customers, "customers_score_check");
        Assert.Equal("Check", check.Type);
        Assert.False(check.Validated);
        Assert.Equal(["score"], check.Columns);
        Assert.Equal("CHECK (((score)::integer < 100)) NOT VALID", check.Definition);
        Assert.False(check.Deferrable);
        Assert.Null(check.ReferencedTable);
        Assert.Empty(check.ReferencedColumns);
    }

    [Fact]
    public void Not_null_is_a_column_property_not_a_constraint()
    {
        Assert.DoesNotContain(Schema.Tables.SelectMany(t => t.Constraints), c => c.Definition.StartsWith("NOT NULL", StringComparison.Ordinal));
    }

    [Fact]
    public void Foreign_key_and_exclusion_constraints()
    {
        var orders = Table("app.orders");
        var foreign = Constraint(orders, "orders_customer_fkey");
        Assert.Equal("ForeignKey", foreign.Type);
        Assert.Equal(["customer_id"], foreign.Columns);
        Assert.Equal("app.customers", foreign.ReferencedTable);
        Assert.Equal(["id"], foreign.ReferencedColumns);
        Assert.Equal("FOREIGN KEY (customer_id) REFERENCES app.customers(id) ON DELETE CASCADE", foreign.Definition);

        var exclusion = Constraint(orders, "orders_no_overlap");
        Assert.Equal("Exclusion", exclusion.Type);
        Assert.Equal(["during"], exclusion.Columns);
        Assert.Equal("EXCLUDE USING gist (during WITH &&)", exclusion.Definition);
        Assert.Equal(["orders_customer_fkey", "orders_no_overlap", "orders_pkey"], orders.Constraints.Select(c => c.Name));
    }

    [Fact]
    public void Index_methods_keys_and_flags()
    {
        var orders = Table("app.orders");
        var primary = Index(orders, "orders_pkey");
        Assert.Equal("btree", primary.Method);
        Assert.True(primary.Primary);
        Assert.True(primary.Unique);
        Assert.True(primary.Valid);
        Assert.Equal("orders_pkey", primary.Constraint);
        Assert.Equal(["id"], primary.Columns);
        Assert.Equal("CREATE UNIQUE INDEX orders_pkey ON app.orders USING btree (id)", primary.Definition);

        var gin = Index(orders, "orders_tags_gin");
        Assert.Equal("gin", gin.Method);
        Assert.Equal(["tags"], gin.Columns);
        Assert.False(gin.Unique);
        Assert.Null(gin.Constraint);
        Assert.Equal("Tag search", gin.Comment);

        Assert.Equal("hash", Index(orders, "orders_note_hash").Method);
        Assert.Equal("gist", Index(orders, "orders_no_overlap").Method);
        Assert.Equal("orders_no_overlap", Index(orders, "orders_no_overlap").Constraint);
    }

    [Fact]
    public void Partial_expression_and_include_indexes()
    {
        var orders = Table("app.orders");
        var partial = Index(orders, "orders_placed_partial");
        Assert.Equal(["placed_at DESC NULLS LAST"], partial.Columns);
        Assert.Equal("total > 100::numeric", partial.Where);
        Assert.EndsWith("WHERE (total > (100)::numeric)", partial.Definition, StringComparison.Ordinal);

        var expression = Index(orders, "orders_lower_note");
        Assert.Equal(["lower(note) text_pattern_ops", "id"], expression.Columns);
        Assert.Empty(expression.Include);
        Assert.Null(expression.Where);

        var include = Index(orders, "orders_customer_incl");
        Assert.Equal(["customer_id"], include.Columns);
        Assert.Equal(["total", "note"], include.Include);
    }

    [Fact]
    public void Index_keys_survive_quotes_parentheses_and_commas_in_names_and_literals()
    {
        var odd = Index(Table("app.orders"), "orders (odd), name");
        Assert.Equal(["((note || ', )'::text)) COLLATE \"C\"", "total"], odd.Columns);
        Assert.Equal("note <> 'a)b,c'::text", odd.Where);
    }

    [Fact]
    public void Failed_concurrent_build_leaves_an_invalid_index()
    {
        var index = Index(Table("app.dupes"), "dupes_v_key");
        Assert.False(index.Valid);
        Assert.True(index.Unique);
    }

    [Fact]
    public void Triggers_timing_events_level_function_and_state()
    {
        var orders = Table("app.orders");
        Assert.Equal(["orders_audit", "orders_touch", "orders_truncate"], orders.Triggers.Select(t => t.Name));

        var touch = Assert.Single(orders.Triggers, t => t.Name == "orders_touch");
        Assert.Equal("Before", touch.Timing);
        Assert.Equal(["Insert", "Update"], touch.Events);
        Assert.Equal("Row", touch.Level);
        Assert.Equal("app.touch", touch.Function);
        Assert.Equal("Origin", touch.Enabled);
        Assert.Equal("CREATE TRIGGER orders_touch BEFORE INSERT OR UPDATE ON app.orders FOR EACH ROW EXECUTE FUNCTION app.touch()", touch.Definition);

        var audit = Assert.Single(orders.Triggers, t => t.Name == "orders_audit");
        Assert.Equal("After", audit.Timing);
        Assert.Equal(["Delete"], audit.Events);
        Assert.Equal("Statement", audit.Level);
        Assert.Equal("Disabled", audit.Enabled);

        var truncate = Assert.Single(orders.Triggers, t => t.Name == "orders_truncate");
        Assert.Equal(["Truncate"], truncate.Events);
        Assert.Equal("Always", truncate.Enabled);
    }

    [Fact]
    public void Foreign_key_triggers_are_internal_and_left_out()
    {
        Assert.Empty(Table("app.customers").Triggers);
    }

    [Fact]
    public void Views_with_columns_comments_and_instead_of_triggers()
    {
        var view = Assert.Single(Schema.Views, v => v.FullName == "app.big_orders");
        Assert.False(view.Materialized);
        Assert.Equal(" SELECT orders.id,\n    orders.total\n   FROM app.orders\n  WHERE orders.total > 1000::numeric;", view.Definition);
        Assert.Equal(["id", "total"], view.Columns.Select(c => c.Name));
        Assert.Equal("numeric(12,2)", view.Columns[1].Type);
        Assert.Equal("Large", view.Comment);
        Assert.Equal(["check_option=local", "security_barrier=true"], view.Options);
        var trigger = Assert.Single(view.Triggers);
        Assert.Equal("InsteadOf", trigger.Timing);
        Assert.Equal(["Insert"], trigger.Events);
        Assert.Empty(view.Indexes);
    }

    [Fact]
    public void Materialized_view_with_its_index()
    {
        var view = Assert.Single(Schema.Views, v => v.FullName == "app.order_totals");
        Assert.True(view.Materialized);
        Assert.Empty(view.Options);
        Assert.Contains("sum(orders.total) AS total", view.Definition, StringComparison.Ordinal);
        var index = Assert.Single(view.Indexes);
        Assert.Equal("order_totals_customer", index.Name);
        Assert.True(index.Unique);
        Assert.Equal(["customer_id"], index.Columns);
        Assert.DoesNotContain(Schema.Tables, t => t.Name == "order_totals");
    }

    [Fact]
    public void Sequences_definition_and_ownership_but_not_identity_ones()
    {
        var ticket = Assert.Single(Schema.Sequences, s => s.FullName == "app.ticket_seq");
        Assert.Equal("integer", ticket.DataType);
        Assert.Equal(100, ticket.Start);
        Assert.Equal(5, ticket.Increment);
        Assert.Equal(10, ticket.Minimum);
        Assert.Equal(100000, ticket.Maximum);
        Assert.Equal(3, ticket.Cache);
        Assert.True(ticket.Cycle);
        Assert.Null(ticket.OwnedBy);
        Assert.Equal("Tickets", ticket.Comment);

        var serial = Assert.Single(Schema.Sequences, s => s.FullName == "app.customers_legacy_id_seq");
        Assert.Equal("app.customers.legacy_id", serial.OwnedBy);
        Assert.Equal("integer", serial.DataType);
        Assert.Equal(1, serial.Increment);

        // Identity sequences belong to their column.
        Assert.DoesNotContain(Schema.Sequences, s => s.Name.Contains("_id_seq", StringComparison.Ordinal) && s.Name != "customers_legacy_id_seq");
        Assert.Equal(["customers_legacy_id_seq", "ticket_seq"], Schema.Sequences.Select(s => s.Name));
    }

    [Fact]
    public void Enum_labels_in_sort_order()
    {
        var mood = Assert.Single(Schema.Types, t => t.FullName == "app.mood");
        Assert.Equal("Enum", mood.Kind);
        Assert.Equal(["sad", "meh", "ok", "happy"], mood.Values);
        Assert.Equal("How it feels", mood.Comment);
    }

    [Fact]
    public void Domain_base_type_default_not_null_and_checks_by_name()
    {
        var domain = Assert.Single(Schema.Types, t => t.FullName == "app.positive");
        Assert.Equal("Domain", domain.Kind);
        Assert.Equal("integer", domain.BaseType);
        Assert.True(domain.NotNull);
        Assert.Equal("1", domain.Default);
        Assert.Equal(["a_small: CHECK ((VALUE < 1000000))", "positive_check: CHECK ((VALUE > 0))"], domain.Constraints);
    }

    [Fact]
    public void Composite_and_range_types_but_no_arrays_or_row_types()
    {
        var pair = Assert.Single(Schema.Types, t => t.FullName == "app.pair");
        Assert.Equal("Composite", pair.Kind);
        Assert.Equal(["x integer", "label text"], pair.Attributes);

        var range = Assert.Single(Schema.Types, t => t.FullName == "app.floatrange");
        Assert.Equal("Range", range.Kind);
        Assert.Equal("double precision", range.BaseType);

        Assert.Equal(["floatrange", "mood", "pair", "positive"], Schema.Types.Select(t => t.Name));
    }

    [Fact]
    public void Functions_overloads_procedure_and_aggregate()
    {
        var add = Assert.Single(Schema.Functions, f => f.Signature == "app.add(a integer, b integer)");
        Assert.Equal("Function", add.Kind);
        Assert.Equal("integer", add.Returns);
        Assert.Equal("sql", add.Language);
        Assert.Equal("Immutable", add.Volatility);
        Assert.False(add.SecurityDefiner);
        Assert.Equal("Adds", add.Comment);
        Assert.StartsWith("CREATE OR REPLACE FUNCTION app.add(a integer, b integer DEFAULT 1)", add.Definition, StringComparison.Ordinal);
        Assert.Contains("RETURN (a + b)", add.Definition, StringComparison.Ordinal);

        var overload = Assert.Single(Schema.Functions, f => f.Signature == "app.add(a numeric, b numeric)");
        Assert.Equal("Stable", overload.Volatility);
        Assert.True(overload.SecurityDefiner);

        var procedure = Assert.Single(Schema.Functions, f => f.Name == "forget");
        Assert.Equal("Procedure", procedure.Kind);
        Assert.Equal("plpgsql", procedure.Language);
        Assert.Null(procedure.Returns);
        Assert.StartsWith("CREATE OR REPLACE PROCEDURE app.forget(IN p_id bigint)", procedure.Definition, StringComparison.Ordinal);

        var aggregate = Assert.Single(Schema.Functions, f => f.Name == "total_length");
        Assert.Equal("Aggregate", aggregate.Kind);
        Assert.Equal("text", aggregate.Arguments);
        Assert.Equal("integer", aggregate.Returns);
        Assert.Equal("CREATE AGGREGATE app.total_length(text) (\n    SFUNC = app.len_step,\n    STYPE = integer,\n    INITCOND = '0'\n);\n", aggregate.Definition);
    }

    [SkippableFact]
    public void Extension_is_listed_and_its_objects_are_not()
    {
        Skip.IfNot(fixture.HasContrib, "PostgreSQL's contrib extensions are not installed on this machine (postgresql-contrib).");
        Assert.Equal(["citext", "file_fdw"], Schema.Extensions.Select(e => e.Name));
        var citext = Schema.Extensions[0];
        Assert.Equal("citext", citext.Name);
        Assert.Equal("public", citext.Schema);
        Assert.Matches(@"^\d+\.\d+$", citext.Version);
        Assert.DoesNotContain(Schema.Types, t => t.Name == "citext");
        Assert.DoesNotContain(Schema.Functions, f => f.Schema == "public");
        Assert.Equal("public.citext", Column(Table("public.mail"), "address").Type);
    }

    [SkippableFact]
    public void Foreign_table()
    {
        Skip.IfNot(fixture.HasContrib, "PostgreSQL's contrib extensions are not installed on this machine (postgresql-contrib).");
        var imported = Table("public.imported");
        Assert.Equal("ForeignTable", imported.Kind);
        Assert.True(Column(imported, "line").NotNull);
        Assert.Empty(imported.Indexes);
    }

    [Fact]
    public void Foreign_key_to_a_partitioned_table_is_one_constraint()
    {
        var tags = Table("app.event_tags");
        var foreign = Assert.Single(tags.Constraints);
        Assert.Equal("event_tags_event_fkey", foreign.Name);
        Assert.Equal("app.events", foreign.ReferencedTable);
        Assert.Equal(["id", "at"], foreign.ReferencedColumns);
        Assert.Equal(["event_id", "at"], foreign.Columns);
        // The partition carries the primary key its parent gave it.
        Assert.Equal("PRIMARY KEY (id, at)", Assert.Single(Table("app.events_2024").Constraints).Definition);
    }

    [Fact]
    public void Plpgsql_that_every_database_has_is_not_listed()
    {
        Assert.DoesNotContain(Schema.Extensions, e => e.Name == "plpgsql");
    }

    [Fact]
    public void Json_export_round_trips_to_the_same_fingerprint()
    {
        var json = OmegaDb.Schema.SchemaJson.Serialize(Schema);
        var imported = OmegaDb.Schema.SchemaJson.Deserialize(json, "test");
        Assert.Equal(Schema.Fingerprint, imported.Fingerprint);
        Assert.Equal(json, OmegaDb.Schema.SchemaJson.Serialize(imported));
    }
}
