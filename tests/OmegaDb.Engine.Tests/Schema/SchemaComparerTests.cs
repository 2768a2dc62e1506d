using System.Reflection;
using OmegaDb.Schema;
using static OmegaDb.Tests.Schema.SchemaBuilder;

namespace OmegaDb.Tests.Schema;

public class SchemaComparerTests
{
    [Fact]
    public void Equal_schemas_give_nothing()
    {
        OmegaSchema Build() => Snapshot(
            "app",
            Table("public.users", Column("id", "integer", notNull: true), Column("email", "text"), PrimaryKey("users_pkey", "id"),
                Index("users_email_idx", "btree", "lower(email)"), Trigger("users_touch")),
            View("public.v_users", " SELECT id FROM public.users;"),
            View("public.mv_users", " SELECT id FROM public.users;", materialized: true, Index("mv_users_id", "btree", "id")),
            Sequence("public.s"), Enum("public.mood", "sad", "ok"), Function("public.f", "integer"), Extension("pgcrypto"));

        Assert.Empty(SchemaComparer.Compare(Build(), Build()));
    }

    [Fact]
    public void Schema_added_removed() =>
        AssertChanges(Snapshot("app", "old"), Snapshot("app", "new"),
            "Added Schema new",
            "Removed Schema old");

    [Fact]
    public void Table_added_removed_changed_and_the_children_of_added_or_removed_tables_are_not_listed()
    {
        var reference = Snapshot(
            Table("public.kept", Column("id", "integer")),
            Table("public.dropped", Column("id", "integer"), Index("dropped_idx", "btree", "id"), PrimaryKey("dropped_pkey", "id"), Trigger("dropped_trg")));
        var difference = Snapshot(
            new OmegaTable { Schema = "public", Name = "kept", RowSecurity = true, Columns = [new OmegaColumn { Name = "id", Position = 1, Type = "integer" }] },
            Table("public.created", Column("id", "integer"), Index("created_idx", "btree", "id")));

        AssertChanges(reference, difference,
            "Added Table public.created",
            "Removed Table public.dropped",
            "Changed Table public.kept.RowSecurity: False -> True");
    }

    [Fact]
    public void Column_added_removed_changed()
    {
        var reference = Snapshot(Table("public.t", Column("id", "integer"), Column("legacy", "text"), Column("email", "character varying(20)")));
        var difference = Snapshot(Table("public.t", Column("id", "bigint", notNull: true), Column("email", "character varying(20)"), Column("bio", "text")));

        AssertChanges(reference, difference,
            "Added Column public.t.bio",
            "Changed Column public.t.id.NotNull: False -> True",
            "Changed Column public.t.id.Type: integer -> bigint",
            "Removed Column public.t.legacy");
    }

    [Fact]
    public void Column_order_change_is_a_position_change_but_the_shift_after_a_dropped_column_is_not()
    {
        var reference = Snapshot(Table("public.t", Column("a", "integer"), Column("b", "integer"), Column("c", "integer"), Column("d", "integer")));
        var dropped = Snapshot(Table("public.t", Column("a", "integer"), Column("c", "integer"), Column("d", "integer")));
        var reordered = Snapshot(Table("public.t", Column("b", "integer"), Column("a", "integer"), Column("c", "integer"), Column("d", "integer")));

        AssertChanges(reference, dropped, "Removed Column public.t.b");
        AssertChanges(reference, reordered,
            "Changed Column public.t.a.Position: 1 -> 2",
            "Changed Column public.t.b.Position: 2 -> 1");
    }

    [Fact]
    public void Constraint_added_removed_changed()
    {
        var reference = Snapshot(Table("public.orders", Column("id", "integer"), Column("user_id", "integer"),
            PrimaryKey("orders_pkey", "id"), ForeignKey("orders_user_fk", "user_id", "public.users")));
        var notValid = ForeignKey("orders_user_fk", "user_id", "public.users");
        var difference = Snapshot(Table("public.orders", Column("id", "integer"), Column("user_id", "integer"),
            new OmegaConstraint
            {
                Name = notValid.Name, Type = notValid.Type, Columns = notValid.Columns, ReferencedTable = notValid.ReferencedTable,
                ReferencedColumns = notValid.ReferencedColumns, Definition = notValid.Definition + " NOT VALID", Validated = false,
            },
            new OmegaConstraint { Name = "orders_user_unique", Type = "Unique", Columns = ["user_id"], Definition = "UNIQUE (user_id)" }));

        AssertChanges(reference, difference,
            "Removed Constraint public.orders.orders_pkey",
            "Changed Constraint public.orders.orders_user_fk.Definition: FOREIGN KEY (user_id) REFERENCES public.users(id) -> FOREIGN KEY (user_id) REFERENCES public.users(id) NOT VALID",
            "Changed Constraint public.orders.orders_user_fk.Validated: True -> False",
            "Added Constraint public.orders.orders_user_unique");
    }

    [Fact]
    public void Index_added_removed_changed()
    {
        var reference = Snapshot(Table("public.t", Column("a", "jsonb"),
            Index("t_a_idx", "btree", "a"), Index("t_old_idx", "btree", "a")));
        var difference = Snapshot(Table("public.t", Column("a", "jsonb"),
            new OmegaIndex { Name = "t_a_idx", Method = "gin", Columns = ["a", "b"], Where = "(a IS NOT NULL)", Definition = "CREATE INDEX t_a_idx USING btree (a)" },
            Index("t_new_idx", "btree", "a")));

        AssertChanges(reference, difference,
            "Changed Index public.t.t_a_idx.Columns: a -> a, b",
            "Changed Index public.t.t_a_idx.Method: btree -> gin",
            "Changed Index public.t.t_a_idx.Where:  -> (a IS NOT NULL)",
            "Added Index public.t.t_new_idx",
            "Removed Index public.t.t_old_idx");
    }

    [Fact]
    public void Trigger_added_removed_changed()
    {
        var reference = Snapshot(Table("public.t", Trigger("t_touch"), Trigger("t_audit", "public.audit")));
        var difference = Snapshot(Table("public.t", Trigger("t_touch", timing: "After"), Trigger("t_log", "public.log")));

        var changes = SchemaComparer.Compare(reference, difference);

        Assert.Equal(
            ["Removed Trigger public.t.t_audit", "Added Trigger public.t.t_log", "Changed Trigger public.t.t_touch.Definition", "Changed Trigger public.t.t_touch.Timing"],
            changes.Select(c => $"{c.Change} {c.ObjectType} {c.Name}{(c.Property is null ? "" : "." + c.Property)}"));
        Assert.Equal(("Before", "After"), (changes[3].ReferenceValue, changes[3].DifferenceValue));
    }

    [Fact]
    public void View_added_removed_changed_with_columns_under_the_view()
    {
        var reference = Snapshot(
            View("public.v_kept", " SELECT 1 AS a;", false, Column("a", "integer")),
            View("public.v_old", " SELECT 1;", false, Column("a", "integer")));
        var difference = Snapshot(
            View("public.v_kept", " SELECT 1::bigint AS a;", false, Column("a", "bigint")),
            View("public.v_new", " SELECT 1;", false, Column("a", "integer")));

        AssertChanges(reference, difference,
            "Changed View public.v_kept.Definition:  SELECT 1 AS a; ->  SELECT 1::bigint AS a;",
            "Changed Column public.v_kept.a.Type: integer -> bigint",
            "Added View public.v_new",
            "Removed View public.v_old");
    }

    [Fact]
    public void Materialized_view_added_removed_changed_with_its_indexes()
    {
        var reference = Snapshot(
            View("public.mv", " SELECT 1 AS a;", true, Column("a", "integer"), Index("mv_a", "btree", "a")),
            View("public.mv_old", " SELECT 1;", true));
        var difference = Snapshot(
            View("public.mv", " SELECT 2 AS a;", true, Column("a", "integer"), Index("mv_a", "hash", "a")),
            View("public.mv_new", " SELECT 1;", true));

        AssertChanges(reference, difference,
            "Changed MaterializedView public.mv.Definition:  SELECT 1 AS a; ->  SELECT 2 AS a;",
            "Changed Index public.mv.mv_a.Definition: CREATE INDEX mv_a USING btree (a) -> CREATE INDEX mv_a USING hash (a)",
            "Changed Index public.mv.mv_a.Method: btree -> hash",
            "Added MaterializedView public.mv_new",
            "Removed MaterializedView public.mv_old");
    }

    [Fact]
    public void A_view_that_becomes_materialized_is_removed_and_added()
    {
        var reference = Snapshot(View("public.report", " SELECT 1;"));
        var difference = Snapshot(View("public.report", " SELECT 1;", materialized: true));

        AssertChanges(reference, difference,
            "Added MaterializedView public.report",
            "Removed View public.report");
    }

    [Fact]
    public void Sequence_added_removed_changed() =>
        AssertChanges(
            Snapshot(Sequence("public.s"), Sequence("public.s_old")),
            Snapshot(Sequence("public.s", increment: 10), Sequence("public.s_new")),
            "Changed Sequence public.s.Increment: 1 -> 10",
            "Added Sequence public.s_new",
            "Removed Sequence public.s_old");

    [Fact]
    public void Type_added_removed_changed() =>
        AssertChanges(
            Snapshot(Enum("public.mood", "sad", "ok"), Domain("public.email", "text")),
            Snapshot(Enum("public.mood", "sad", "ok", "happy"), Domain("public.zip", "text")),
            "Removed Type public.email",
            "Changed Type public.mood.Values: sad, ok -> sad, ok, happy",
            "Added Type public.zip");

    [Fact]
    public void Function_added_removed_changed_with_overloads_named_by_signature() =>
        AssertChanges(
            Snapshot(Function("public.f", "integer"), Function("public.f", "text"), Function("public.g")),
            Snapshot(Function("public.f", "integer", volatility: "Stable"), Function("public.f", "bigint"), Function("public.g")),
            "Added Function public.f(bigint)",
            "Changed Function public.f(integer).Volatility: Volatile -> Stable",
            "Removed Function public.f(text)");

    [Fact]
    public void Extension_added_removed_changed() =>
        AssertChanges(
            Snapshot(Extension("pgcrypto", "1.3"), Extension("hstore")),
            Snapshot(Extension("pgcrypto", "1.4"), Extension("citext")),
            "Added Extension citext",
            "Removed Extension hstore",
            "Changed Extension pgcrypto.Version: 1.3 -> 1.4");

    [Fact]
    public void Changes_are_sorted_by_name_then_object_type_then_property()
    {
        // A primary key and its index share a name: ObjectType decides their order.
        var reference = Snapshot(
            Table("public.b", Column("x", "integer")),
            Table("public.a", Column("id", "integer"), PrimaryKey("a_pkey", "id"),
                new OmegaIndex { Name = "a_pkey", Method = "btree", Columns = ["id"], Unique = true, Primary = true }));
        var difference = Snapshot(
            Table("public.a", Column("id", "bigint", notNull: true), PrimaryKey("a_pkey", "id", "x"),
                new OmegaIndex { Name = "a_pkey", Method = "btree", Columns = ["id", "x"], Unique = true, Primary = true }),
            Table("public.b", Column("x", "text")),
            "app");

        AssertChanges(reference, difference,
            "Added Schema app",
            "Changed Constraint public.a.a_pkey.Columns: id -> id, x",
            "Changed Constraint public.a.a_pkey.Definition: PRIMARY KEY (id) -> PRIMARY KEY (id, x)",
            "Changed Index public.a.a_pkey.Columns: id -> id, x",
            "Changed Column public.a.id.NotNull: False -> True",
            "Changed Column public.a.id.Type: integer -> bigint",
            "Changed Column public.b.x.Type: integer -> text");
    }

    [Fact]
    public void Lists_are_compared_item_by_item()
    {
        var reference = Snapshot(Table("public.t", Index("i", "btree", "coalesce(a, b)")));
        var difference = Snapshot(Table("public.t", Index("i", "btree", "coalesce(a", "b)")));

        Assert.Single(SchemaComparer.Compare(reference, difference));
    }

    /// <summary>Model types, and the public properties deliberately not compared as properties.</summary>
    public static TheoryData<Type, string[]> ModelTypes => new()
    {
        { typeof(OmegaTable), ["Schema", "Name", "FullName", "Columns", "Constraints", "Indexes", "Triggers"] },
        { typeof(OmegaColumn), ["Name", "Nullable", "Position"] },
        { typeof(OmegaConstraint), ["Name"] },
        { typeof(OmegaIndex), ["Name"] },
        { typeof(OmegaTrigger), ["Name"] },
        { typeof(OmegaView), ["Schema", "Name", "FullName", "Materialized", "Columns", "Indexes", "Triggers"] },
        { typeof(OmegaSequence), ["Schema", "Name", "FullName"] },
        { typeof(OmegaType), ["Schema", "Name", "FullName"] },
        { typeof(OmegaFunction), ["Schema", "Name", "Arguments", "Signature"] },
        { typeof(OmegaExtension), ["Name"] },
    };

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Every_property_of_the_model_is_compared(Type modelType, string[] notCompared)
    {
        var compared = ComparedProperties(modelType);
        var properties = modelType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name);

        Assert.Empty(properties.Except(compared).Except(notCompared));
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void A_change_to_any_compared_property_is_reported_under_its_name(Type modelType, string[] notCompared)
    {
        _ = notCompared;
        foreach (var property in ComparedProperties(modelType))
        {
            var before = Activator.CreateInstance(modelType)!;
            var after = Activator.CreateInstance(modelType)!;
            var info = modelType.GetProperty(property)!;
            info.SetValue(after, OtherValue(info.PropertyType, info.GetValue(before)));

            var changes = SchemaComparer.Compare(Wrap(before), Wrap(after));

            var change = Assert.Single(changes);
            Assert.Equal((SchemaChangeKind.Changed, property), (change.Change, change.Property));
        }
    }

    private static IEnumerable<string> ComparedProperties(Type modelType)
    {
        var kind = typeof(SchemaObjectKinds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .First(f => f.FieldType.GetGenericArguments()[0] == modelType).GetValue(null)!;
        var properties = (System.Collections.IEnumerable)kind.GetType().GetProperty("Properties")!.GetValue(kind)!;
        return properties.Cast<object>().Select(p => (string)p.GetType().GetProperty("Name")!.GetValue(p)!).ToList();
    }

    private static object OtherValue(Type type, object? current) => type switch
    {
        _ when type == typeof(string) => (string?)current + "x",
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(int) => (int)current! + 1,
        _ when type == typeof(long) => (long)current! + 1,
        _ when type == typeof(IReadOnlyList<string>) => new[] { "x" },
        _ => throw new InvalidOperationException($"No other value for {type}"),
    };

    /// <summary>One schema holding the object, inside a table when it lives in one.</summary>
    private static OmegaSchema Wrap(object item) => item switch
    {
        OmegaColumn c => Snapshot(new OmegaTable { Schema = "public", Name = "t", Columns = [c] }),
        OmegaConstraint c => Snapshot(new OmegaTable { Schema = "public", Name = "t", Constraints = [c] }),
        OmegaIndex i => Snapshot(new OmegaTable { Schema = "public", Name = "t", Indexes = [i] }),
        OmegaTrigger t => Snapshot(new OmegaTable { Schema = "public", Name = "t", Triggers = [t] }),
        _ => Snapshot(item),
    };

    private static void AssertChanges(OmegaSchema reference, OmegaSchema difference, params string[] expected) =>
        Assert.Equal(expected, SchemaComparer.Compare(reference, difference).Select(c => c.ToString()));
}
