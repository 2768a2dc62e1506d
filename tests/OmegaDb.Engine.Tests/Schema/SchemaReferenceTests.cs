using OmegaDb.Schema;
using OmegaDb.Schema.Expectations;
using static OmegaDb.Tests.Schema.SchemaBuilder;

namespace OmegaDb.Tests.Schema;

/// <summary>Test-OmegaSchema -Reference: no difference allowed.</summary>
public class SchemaReferenceTests
{
    [Fact]
    public void An_equal_schema_gives_one_passed_result_naming_the_reference_fingerprint()
    {
        var reference = SchemaFingerprint.Stamp(Snapshot(Table("public.t", Column("id", "integer"))));
        var actual = Snapshot(Table("public.t", Column("id", "integer")));

        var result = Assert.Single(SchemaTester.TestReference(actual, reference, "appdb"));

        Assert.True(result.Passed);
        Assert.Equal($"Schema matches reference {reference.Fingerprint[..12]}", result.Assertion);
        Assert.Equal((reference.Fingerprint[..12], reference.Fingerprint[..12], "appdb"), (result.Expected, result.Actual, result.Target));
    }

    [Fact]
    public void Each_difference_is_one_failed_result_with_the_reference_value_expected()
    {
        var reference = Snapshot(
            Table("public.t", Column("id", "integer"), Column("legacy", "text")),
            View("public.v", " SELECT 1;"));
        var actual = Snapshot(
            Table("public.t", Column("id", "bigint"), Column("bio", "text")),
            View("public.v", " SELECT 1;", materialized: true));

        var results = SchemaTester.TestReference(actual, reference, "appdb");

        Assert.Equal(
            [
                (false, "Column public.t.bio is absent", "<absent>", "<present>"),
                (false, "Column public.t.id has the reference Type", "integer", "bigint"),
                (false, "Column public.t.legacy exists", "<present>", "<missing>"),
                (false, "Materialized view public.v is absent", "<absent>", "<present>"),
                (false, "View public.v exists", "<present>", "<missing>"),
            ],
            results.Select(r => (r.Passed, r.Assertion, r.Expected!, r.Actual!)));
    }
}
