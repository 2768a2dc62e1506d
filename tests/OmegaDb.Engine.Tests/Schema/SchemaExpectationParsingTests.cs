using OmegaDb.Schema.Expectations;
using static OmegaDb.Tests.Schema.ExpectationTrees;

namespace OmegaDb.Tests.Schema;

/// <summary>A malformed expectation is refused as a whole, naming the bad key by its path.</summary>
public class SchemaExpectationParsingTests
{
    /// <summary>expectation, the path the message must name, and a fragment it must contain.</summary>
    public static TheoryData<object?, string, string> Malformed => new()
    {
        {
            H("Tables", H("user_profiles", H("Columns", H("bio", H("Typ", "text"))))),
            "Tables.user_profiles.Columns.bio.Typ",
            "unknown key 'Typ'. Allowed keys here: Type, Nullable, NotNull, Default, Identity, Generated, Collation, Position, Comment."
        },
        { H("Tabels", H()), "Tabels", "Allowed keys here: Schemas, Extensions, Types, Sequences, Tables, Views, MaterializedViews, Functions, Absent." },
        { H("Tables", H("t", H("Colums", "a"))), "Tables.t.Colums", "Allowed keys here: Columns, Constraints, Indexes, Triggers, Absent, Kind, PrimaryKey, RowSecurity, Comment." },
        { H("Tables", H("t", H("Columns", H("bio", 5)))), "Tables.t.Columns.bio", "a column's type must be a string; got 5 (Int32)." },
        { H("Tables", H("t", H("Columns", H("bio", H("Type", true))))), "Tables.t.Columns.bio.Type", "Type must be a string; got $true." },
        { H("Tables", H("t", H("Columns", H("bio", H("Nullable", "yes"))))), "Tables.t.Columns.bio.Nullable", "Nullable must be $true or $false; got 'yes'." },
        { H("Tables", H("t", H("Columns", H("bio", H("Position", "2"))))), "Tables.t.Columns.bio.Position", "Position must be a whole number" },
        { H("Tables", H("t", H("Columns", H("id", H("Identity", "sometimes"))))), "Tables.t.Columns.id.Identity", "'sometimes' is not a valid Identity. Allowed values: Always, ByDefault." },
        { H("Tables", H("t", H("Constraints", H("Type", "Foreign")))), "Tables.t.Constraints.Type", "'Foreign' is not a valid Type. Allowed values: PrimaryKey, ForeignKey, Unique, Check, Exclusion." },
        { H("Tables", H("t", H("Indexes", A("idx_a", H("Methd", "gin"))))), "Tables.t.Indexes[1].Methd", "Allowed keys here: Name, Method, Columns, Include, Where, Unique, Primary, Valid, Comment." },
        { H("Tables", H("t", H("Indexes", A(H())))), "Tables.t.Indexes[0]", "give an index's Name or at least one of Method, Columns" },
        { H("Tables", H("t", H("Indexes", A(5)))), "Tables.t.Indexes[0]", "an index name must be a string; got 5 (Int32)." },
        { H("Tables", H("t", H("Triggers", H("Events", A("update", "upsert"))))), "Tables.t.Triggers.Events", "'upsert' is not a valid Events." },
        { H("Tables", H("t", "x")), "Tables.t", "expected a table expectation, a hashtable with the keys Columns" },
        { H("Tables", H("t", H("Absent", H("Column", "a")))), "Tables.t.Absent.Column", "Allowed keys here: Columns, Indexes, Constraints, Triggers." },
        { H("Absent", H("Colums", "t.a")), "Absent.Colums", "Allowed keys here: Schemas, Extensions, Types" },
        { H("Absent", H("Columns", "avatar_url")), "Absent.Columns", "'avatar_url' must name its table: table.name or schema.table.name." },
        { H("Functions", A("fn(integer")), "Functions[0]", "'fn(integer' is not a function name" },
        { H("Types", H("mood", 3)), "Types.mood", "an enum label must be a string; got 3 (Int32)." },
        { H("Extensions", H("pgcrypto", true)), "Extensions.pgcrypto", "an extension's version must be a string; got $true." },
        { H("Sequences", H("s", "x")), "Sequences.s", "expected $null or a hashtable with the keys DataType, Start" },
        { H("Views", H("v", H("Materialised", true))), "Views.v.Materialised", "Allowed keys here: Columns, Materialized, Definition, Comment." },
        { H("Schemas", A("app", "")), "Schemas[1]", "a schema name must not be empty." },
        // A case-sensitive dictionary (not a PowerShell one) can hold both spellings.
        { new Dictionary<string, object?> { ["Tables"] = H(), ["tables"] = H() }, "tables", "the key 'Tables' is given twice (keys are case-insensitive)." },
        { A("t"), "", "expected a schema expectation, a hashtable with the keys Schemas" },
        { null, "", "expected a schema expectation" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Names_the_bad_key_by_its_path(object? expectation, string path, string fragment)
    {
        var error = Assert.Throws<OmegaException>(() => SchemaExpectation.Parse(expectation));

        Assert.Equal(("OmegaDb.InvalidSchemaExpectation", OmegaErrorCategory.InvalidArgument), (error.ErrorId, error.Category));
        Assert.Equal(path, error.Target);
        Assert.Contains(path.Length == 0 ? "Invalid schema expectation: " : $"Invalid schema expectation at {path}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_and_fixed_values_ignore_case()
    {
        var expectation = SchemaExpectation.Parse(H("TABLES", H("t", H(
            "columns", H("a", H("TYPE", "int", "nullable", true)),
            "CONSTRAINTS", H("type", "primary_key"),
            "absent", H("COLUMNS", "b")))));

        var results = SchemaTester.Test(SchemaBuilder.Snapshot(SchemaBuilder.Table("public.t", SchemaBuilder.Column("a", "integer"), SchemaBuilder.PrimaryKey("t_pkey", "a"))), expectation, "db");

        Assert.All(results, r => Assert.True(r.Passed, r.ToString()));
        Assert.Equal(5, results.Count);
    }

    [Fact]
    public void JSON_gives_the_same_tree_and_the_same_errors()
    {
        var error = Assert.Throws<OmegaException>(() => SchemaExpectation.FromJson("""{ "Tables": { "t": { "Columns": { "bio": { "Typ": "text" } } } } }"""));
        Assert.Equal("Tables.t.Columns.bio.Typ", error.Target);

        var duplicate = Assert.Throws<OmegaException>(() => SchemaExpectation.FromJson("""{ "Tables": ["a"], "Tables": ["b"] }"""));
        Assert.Contains("given twice", duplicate.Message, StringComparison.Ordinal);

        var invalid = Assert.Throws<OmegaException>(() => SchemaExpectation.FromJson("{ \"Tables\": [ \n"));
        Assert.Equal("OmegaDb.InvalidSchemaExpectation", invalid.ErrorId);
        Assert.Contains("not valid", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JSON_numbers_and_booleans_arrive_as_long_and_bool()
    {
        var tree = (System.Collections.IDictionary)ExpectationTree.FromJson("""{ "a": 3, "b": true, "c": [1.5, null, "x"] }""")!;

        Assert.Equal(3L, tree["a"]);
        Assert.Equal(true, tree["b"]);
        Assert.Equal(new object?[] { 1.5, null, "x" }, (System.Collections.IEnumerable)tree["c"]!);
    }
}
