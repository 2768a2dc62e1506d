using OmegaDb.Schema;

namespace OmegaDb.Tests.Schema;

public sealed class SchemaScopeTests
{
    private static SchemaScope Scope(int tables, int views)
    {
        var relations = Enumerable.Range(1, tables).Select(i => new CatalogRelation((uint)(100 + i), "app", "t" + i, 'r'))
            .Concat(Enumerable.Range(1, views).Select(i => new CatalogRelation((uint)(100_000 + i), "app", "v" + i, i % 2 == 0 ? 'm' : 'v')))
            .Append(new CatalogRelation(900_000, "app", "numbers", 'S'));
        var scope = new SchemaScope(SchemaReadOptions.Default);
        scope.Select([(10u, "app")], relations);
        return scope;
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(10, 3)]
    [InlineData(1000, 5)]
    public void Split_gives_every_table_and_view_to_exactly_one_connection(int tables, int views)
    {
        var scope = Scope(tables, views);
        var (primary, helper) = scope.SplitRelations(0.7);

        Assert.Equal(scope.RelationOids.Order(), primary.RelationOids.Concat(helper.RelationOids).Order());
        Assert.Equal(scope.TableOids.Order(), primary.TableOids.Concat(helper.TableOids).Order());
        Assert.Empty(primary.RelationOids.Intersect(helper.RelationOids));
        Assert.All(primary.TableOids, oid => Assert.Contains(oid, primary.RelationOids));
        Assert.DoesNotContain(900_000u, primary.RelationOids.Concat(helper.RelationOids));
        Assert.InRange(helper.RelationOids.Length, (int)Math.Floor((tables + views) * 0.7), (int)Math.Ceiling((tables + views) * 0.7));
    }
}
