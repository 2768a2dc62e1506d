using System.Globalization;
using System.Text;

namespace OmegaDb.Schema;

/// <summary>
/// The parts of an aggregate (pg_aggregate), since pg_get_functiondef refuses aggregates.
/// Printed as a CREATE AGGREGATE statement with the options in a fixed order, naming only
/// those that differ from their defaults, so equal aggregates print equal text.
/// </summary>
internal sealed record AggregateDefinition
{
    public required string QualifiedName { get; init; }

    public required string Arguments { get; init; }

    /// <summary>n normal, o ordered-set, h hypothetical-set.</summary>
    public char Kind { get; init; } = 'n';

    public required string TransitionFunction { get; init; }

    public required string StateType { get; init; }

    public int StateSpace { get; init; }

    public string? FinalFunction { get; init; }

    public bool FinalExtra { get; init; }

    public char FinalModify { get; init; }

    public string? CombineFunction { get; init; }

    public string? SerialFunction { get; init; }

    public string? DeserialFunction { get; init; }

    public string? InitialCondition { get; init; }

    public string? MovingTransitionFunction { get; init; }

    public string? MovingInverseFunction { get; init; }

    public string? MovingStateType { get; init; }

    public int MovingStateSpace { get; init; }

    public string? MovingFinalFunction { get; init; }

    public bool MovingFinalExtra { get; init; }

    public char MovingFinalModify { get; init; }

    public string? MovingInitialCondition { get; init; }

    public string? SortOperator { get; init; }

    /// <summary>s safe, r restricted, u unsafe (the default).</summary>
    public char Parallel { get; init; } = 'u';

    public override string ToString()
    {
        // What CREATE AGGREGATE assumes when FINALFUNC_MODIFY is not given.
        var defaultModify = Kind == 'n' ? 'r' : 'w';
        var options = new List<string>
        {
            "SFUNC = " + TransitionFunction,
            "STYPE = " + StateType,
        };
        AddIf(options, StateSpace != 0, "SSPACE = " + StateSpace.ToString(CultureInfo.InvariantCulture));
        AddIf(options, FinalFunction is not null, "FINALFUNC = " + FinalFunction);
        AddIf(options, FinalExtra, "FINALFUNC_EXTRA");
        AddIf(options, FinalFunction is not null && FinalModify != defaultModify, "FINALFUNC_MODIFY = " + Modify(FinalModify));
        AddIf(options, CombineFunction is not null, "COMBINEFUNC = " + CombineFunction);
        AddIf(options, SerialFunction is not null, "SERIALFUNC = " + SerialFunction);
        AddIf(options, DeserialFunction is not null, "DESERIALFUNC = " + DeserialFunction);
        AddIf(options, InitialCondition is not null, "INITCOND = " + Literal(InitialCondition));
        AddIf(options, MovingTransitionFunction is not null, "MSFUNC = " + MovingTransitionFunction);
        AddIf(options, MovingInverseFunction is not null, "MINVFUNC = " + MovingInverseFunction);
        AddIf(options, MovingStateType is not null, "MSTYPE = " + MovingStateType);
        AddIf(options, MovingStateSpace != 0, "MSSPACE = " + MovingStateSpace.ToString(CultureInfo.InvariantCulture));
        AddIf(options, MovingFinalFunction is not null, "MFINALFUNC = " + MovingFinalFunction);
        AddIf(options, MovingFinalExtra, "MFINALFUNC_EXTRA");
        AddIf(options, MovingFinalFunction is not null && MovingFinalModify != defaultModify, "MFINALFUNC_MODIFY = " + Modify(MovingFinalModify));
        AddIf(options, MovingInitialCondition is not null, "MINITCOND = " + Literal(MovingInitialCondition));
        AddIf(options, SortOperator is not null, "SORTOP = " + SortOperator);
        AddIf(options, Kind == 'h', "HYPOTHETICAL");
        AddIf(options, Parallel != 'u', "PARALLEL = " + (Parallel == 's' ? "SAFE" : "RESTRICTED"));

        var text = new StringBuilder("CREATE AGGREGATE ").Append(QualifiedName).Append('(').Append(Arguments).Append(") (\n");
        text.AppendJoin(",\n", options.Select(o => "    " + o));
        return text.Append("\n);\n").ToString();
    }

    private static void AddIf(List<string> options, bool condition, string option)
    {
        if (condition)
        {
            options.Add(option);
        }
    }

    private static string Modify(char flag) => flag switch
    {
        'r' => "READ_ONLY",
        's' => "SHAREABLE",
        _ => "READ_WRITE",
    };

    private static string Literal(string? value) => "'" + (value ?? string.Empty).Replace("'", "''", StringComparison.Ordinal) + "'";
}
