namespace OmegaDb;

public enum SchemaChangeKind
{
    Added,
    Removed,
    Changed,
}

/// <summary>
/// One difference between two schemas: an object added or removed (Property is null), or one
/// property of an object that exists in both with another value.
/// </summary>
public sealed class OmegaSchemaChange
{
    /// <summary>Schema, Table, Column, Constraint, Index, Trigger, View, MaterializedView, Sequence, Type, Function or Extension.</summary>
    public string ObjectType { get; init; } = string.Empty;

    /// <summary>The qualified name: <c>public.user_profiles</c>, <c>public.user_profiles.bio</c>.</summary>
    public string Name { get; init; } = string.Empty;

    public SchemaChangeKind Change { get; init; }

    public string? Property { get; init; }

    public string? ReferenceValue { get; init; }

    public string? DifferenceValue { get; init; }

    public override string ToString() => Property is null
        ? $"{Change} {ObjectType} {Name}"
        : $"{Change} {ObjectType} {Name}.{Property}: {ReferenceValue} -> {DifferenceValue}";
}
