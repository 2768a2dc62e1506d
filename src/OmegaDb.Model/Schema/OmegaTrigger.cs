namespace OmegaDb;

/// <summary>A trigger; <see cref="Definition"/> is pg_get_triggerdef's CREATE TRIGGER statement.</summary>
public sealed class OmegaTrigger
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Before, After or InsteadOf.</summary>
    public string Timing { get; init; } = string.Empty;

    /// <summary>Insert, Update, Delete, Truncate.</summary>
    public IReadOnlyList<string> Events { get; init; } = [];

    /// <summary>Row or Statement.</summary>
    public string Level { get; init; } = string.Empty;

    /// <summary>The trigger function, <c>schema.name</c>.</summary>
    public string Function { get; init; } = string.Empty;

    /// <summary>Origin (the default), Disabled, Replica or Always.</summary>
    public string Enabled { get; init; } = "Origin";

    public string Definition { get; init; } = string.Empty;

    public override string ToString() => Name;
}
