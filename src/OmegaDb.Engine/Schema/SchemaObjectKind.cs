namespace OmegaDb.Schema;

/// <summary>One property the comparer looks at, read as a plain value (string, bool, number or list).</summary>
internal sealed record SchemaProperty<T>(string Name, Func<T, object?> Read);

/// <summary>
/// How one kind of schema object is named and which of its properties count. The name is the
/// object's own part (<c>bio</c>, <c>public.t</c>, a function's signature); children are named
/// under their parent's name.
/// </summary>
internal sealed class SchemaObjectKind<T>(string objectType, Func<T, string> nameOf, params SchemaProperty<T>[] properties)
{
    public string ObjectType { get; } = objectType;

    public Func<T, string> NameOf { get; } = nameOf;

    public IReadOnlyList<SchemaProperty<T>> Properties { get; } = properties;
}
