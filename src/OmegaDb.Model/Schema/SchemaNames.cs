namespace OmegaDb;

/// <summary>How users name schema objects: <c>schema.name</c>, or a bare name when it is unambiguous.</summary>
internal static class SchemaNames
{
    public static string Qualify(string schema, string name) => schema + "." + name;

    public static T? Find<T>(IEnumerable<T> items, string name, Func<T, string> schemaOf, Func<T, string> nameOf)
        where T : class
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var schema = name[..dot];
            var bare = name[(dot + 1)..];
            var exact = items.FirstOrDefault(i => schemaOf(i) == schema && nameOf(i) == bare);
            if (exact is not null)
            {
                return exact;
            }
        }

        var matches = items.Where(i => nameOf(i) == name).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            > 1 => matches.FirstOrDefault(i => schemaOf(i) == "public"),
            _ => null,
        };
    }
}
