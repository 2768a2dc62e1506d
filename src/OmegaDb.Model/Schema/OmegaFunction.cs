namespace OmegaDb;

/// <summary>A function, procedure or aggregate; overloads are told apart by <see cref="Signature"/>.</summary>
public sealed class OmegaFunction
{
    public string Schema { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    /// <summary>Function, Procedure, Aggregate or Window.</summary>
    public string Kind { get; init; } = "Function";

    /// <summary>The identity arguments, as pg_get_function_identity_arguments prints them.</summary>
    public string Arguments { get; init; } = string.Empty;

    /// <summary><c>schema.name(arguments)</c>: the name that tells overloads apart.</summary>
    public string Signature => $"{SchemaNames.Qualify(Schema, Name)}({Arguments})";

    public string? Returns { get; init; }

    public string Language { get; init; } = string.Empty;

    /// <summary>Immutable, Stable or Volatile.</summary>
    public string Volatility { get; init; } = string.Empty;

    public bool SecurityDefiner { get; init; }

    /// <summary>The whole CREATE statement (pg_get_functiondef), body included; for an aggregate, its parts.</summary>
    public string Definition { get; init; } = string.Empty;

    public string? Comment { get; init; }

    public override string ToString() => Signature;
}
