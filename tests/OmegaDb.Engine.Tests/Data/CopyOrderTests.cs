using OmegaDb.Data;

namespace OmegaDb.Tests.Data;

public sealed class CopyOrderTests
{
    private static CopyTable Table(uint oid, string name) => new(oid, "public", name, false, [new CopyColumn("id", "integer", true, false, false, false)]);

    private static ForeignKeyEdge Fk(uint child, uint parent) => new($"fk_{child}_{parent}", child, ["x"], parent, ["id"], false);

    [Fact]
    public void Parents_come_before_children_across_levels()
    {
        var lines = Table(1, "lines");
        var orders = Table(2, "orders");
        var customers = Table(3, "customers");
        var regions = Table(4, "regions");
        var groups = CopyOrder.Of([lines, orders, customers, regions], [Fk(1, 2), Fk(2, 3), Fk(3, 4), Fk(3, 3)]);

        Assert.Equal(["public.regions", "public.customers", "public.orders", "public.lines"], groups.Select(g => Assert.Single(g).FullName));
    }

    [Fact]
    public void A_cycle_between_tables_is_one_group_after_its_parents()
    {
        var a = Table(1, "a");
        var b = Table(2, "b");
        var root = Table(3, "root");
        var leaf = Table(4, "leaf");
        var groups = CopyOrder.Of([leaf, a, b, root], [Fk(1, 2), Fk(2, 1), Fk(1, 3), Fk(4, 2)]);

        Assert.Equal(3, groups.Count);
        Assert.Equal("public.root", Assert.Single(groups[0]).FullName);
        Assert.Equal(["public.a", "public.b"], groups[1].Select(t => t.FullName));
        Assert.Equal("public.leaf", Assert.Single(groups[2]).FullName);
    }

    [Fact]
    public void Foreign_keys_to_tables_outside_the_selection_are_ignored()
    {
        var child = Table(1, "child");
        var groups = CopyOrder.Of([child], [Fk(1, 99)]);
        Assert.Equal("public.child", Assert.Single(Assert.Single(groups)).FullName);
    }

    [Fact]
    public void A_long_chain_does_not_overflow_the_stack()
    {
        var tables = Enumerable.Range(1, 20_000).Select(i => Table((uint)i, $"t{i:D5}")).ToArray();
        var edges = Enumerable.Range(1, 19_999).Select(i => Fk((uint)i, (uint)(i + 1)));
        var groups = CopyOrder.Of(tables, edges);
        Assert.Equal("public.t20000", Assert.Single(groups[0]).FullName);
        Assert.Equal("public.t00001", Assert.Single(groups[^1]).FullName);
    }
}
