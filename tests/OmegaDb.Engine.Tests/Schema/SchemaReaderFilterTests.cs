using OmegaDb.Schema;

namespace OmegaDb.Tests.Schema;

/// <summary>-Schema and -Table filters, with PowerShell wildcards, on the coverage database.</summary>
[Collection(CoverageSchema.Collection)]
public sealed class SchemaReaderFilterTests(CoverageSchema fixture)
{
    private Task<OmegaSchema> ReadAsync(SchemaReadOptions options) => SchemaTestSupport.ReadAsync(fixture.Database, options);

    [Fact]
    public async Task Schema_filter_limits_every_kind_of_object()
    {
        var schema = await ReadAsync(new SchemaReadOptions { Schemas = ["AP*"] });
        Assert.Equal(["app"], schema.Schemas);
        Assert.Equal(["AP*"], schema.SchemaFilter);
        Assert.All(schema.Tables, t => Assert.Equal("app", t.Schema));
        Assert.Contains(schema.Tables, t => t.Name == "customers");
        Assert.NotEmpty(schema.Views);
        Assert.All(schema.Sequences, s => Assert.Equal("app", s.Schema));
        Assert.Equal(4, schema.Types.Count);
        Assert.All(schema.Functions, f => Assert.Equal("app", f.Schema));
        // Extensions go by the schema they live in: citext is in public.
        Assert.Empty(schema.Extensions);
    }

    [SkippableFact]
    public async Task Extension_is_kept_when_its_schema_is_selected()
    {
        Skip.IfNot(fixture.HasContrib, "PostgreSQL's contrib extensions are not installed on this machine (postgresql-contrib).");
        var schema = await ReadAsync(new SchemaReadOptions { Schemas = ["public"] });
        Assert.Equal(["citext", "file_fdw"], schema.Extensions.Select(e => e.Name));
        Assert.Equal(["public"], schema.Schemas);
        Assert.DoesNotContain(schema.Tables, t => t.Schema == "app");
    }

    [Fact]
    public async Task Table_filter_matches_bare_or_qualified_names_and_keeps_only_relations()
    {
        var schema = await ReadAsync(new SchemaReadOptions { Tables = ["ord*", "app.cust?mers", "*.[bc]ig_orders", "ticket_seq"] });
        Assert.Equal(["app.customers", "app.orders"], schema.Tables.Select(t => t.FullName));
        Assert.Equal(["app.big_orders", "app.order_totals"], schema.Views.Select(v => v.FullName));
        Assert.Equal(["app.ticket_seq"], schema.Sequences.Select(s => s.FullName));
        Assert.Empty(schema.Types);
        Assert.Empty(schema.Functions);
        Assert.Empty(schema.Extensions);
        Assert.Equal(["app"], schema.Schemas);
        Assert.Equal(["ord*", "app.cust?mers", "*.[bc]ig_orders", "ticket_seq"], schema.TableFilter);
    }

    [Fact]
    public async Task Filtered_table_is_read_the_same_as_unfiltered()
    {
        var schema = await ReadAsync(new SchemaReadOptions { Tables = ["orders"] });
        var filtered = Assert.Single(schema.Tables);
        var full = fixture.Schema.Tables.Single(t => t.FullName == "app.orders");
        Assert.Equal(SchemaTestSupport.Content(new OmegaSchema { Tables = [full] }), SchemaTestSupport.Content(new OmegaSchema { Tables = [filtered] }));
        // The referenced table is outside the read, and its columns are still named.
        Assert.Equal(["id"], filtered.Constraints.Single(c => c.Type == "ForeignKey").ReferencedColumns);
    }

    [Fact]
    public async Task Both_filters_together()
    {
        var schema = await ReadAsync(new SchemaReadOptions { Schemas = ["public"], Tables = ["orders", "plain"] });
        Assert.Equal(["public.plain"], schema.Tables.Select(t => t.FullName));
    }

    [Fact]
    public async Task Filter_that_matches_nothing_gives_an_empty_snapshot()
    {
        var schema = await ReadAsync(new SchemaReadOptions { Schemas = ["nothing_here"] });
        Assert.Empty(schema.Schemas);
        Assert.Empty(schema.Tables);
        Assert.Empty(schema.Functions);
        Assert.Matches("^[0-9a-f]{64}$", schema.Fingerprint);
    }

    [Fact]
    public async Task History_schema_is_read_only_when_no_longer_excluded()
    {
        Assert.DoesNotContain("omegadb", fixture.Schema.Schemas);
        var schema = await ReadAsync(new SchemaReadOptions { ExcludedSchemas = [] });
        Assert.Contains("omegadb", schema.Schemas);
        Assert.Contains(schema.Tables, t => t.FullName == "omegadb.history");
        Assert.NotEqual(fixture.Schema.Fingerprint, schema.Fingerprint);
    }

    [Fact]
    public async Task Excluded_schemas_take_wildcards()
    {
        var schema = await ReadAsync(new SchemaReadOptions { ExcludedSchemas = ["omega*", "a?p"] });
        Assert.Equal(["public"], schema.Schemas);
    }

    [Fact]
    public async Task Null_lists_from_PowerShell_mean_no_filter()
    {
        var schema = await ReadAsync(new SchemaReadOptions { Schemas = null!, Tables = null! });
        Assert.Equal(fixture.Schema.Fingerprint, schema.Fingerprint);
        Assert.Empty(schema.SchemaFilter);
        Assert.Empty(schema.TableFilter);
    }

    [Fact]
    public async Task Malformed_pattern_fails_before_reading()
    {
        var error = await Assert.ThrowsAsync<OmegaException>(() => ReadAsync(new SchemaReadOptions { Tables = ["orders["] }));
        Assert.Equal(NamePattern.InvalidPatternErrorId, error.ErrorId);
        Assert.Equal(OmegaErrorCategory.InvalidArgument, error.Category);
    }
}
