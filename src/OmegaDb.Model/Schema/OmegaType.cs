namespace OmegaDb;

/// <summary>A user-defined type: an enum, a domain, a composite or a range type.</summary>
public sealed class OmegaType
{
    public string Schema { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string FullName => SchemaNames.Qualify(Schema, Name);

    /// <summary>Enum, Domain, Composite or Range.</summary>
    public string Kind { get; init; } = string.Empty;

    /// <summary>An enum's labels in their sort order.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>A domain's base type, or a range's subtype.</summary>
    public string? BaseType { get; init; }

    /// <summary>A domain's NOT NULL.</summary>
    public bool NotNull { get; init; }

    /// <summary>A domain's default.</summary>
    public string? Default { get; init; }

    /// <summary>A domain's CHECK constraints, <c>name: definition</c>, sorted by name.</summary>
    public IReadOnlyList<string> Constraints { get; init; } = [];

    /// <summary>A composite type's attributes, <c>name type</c>, in order.</summary>
    public IReadOnlyList<string> Attributes { get; init; } = [];

    public string? Comment { get; init; }

    public override string ToString() => FullName;
}
