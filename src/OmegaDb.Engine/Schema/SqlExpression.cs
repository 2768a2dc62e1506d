namespace OmegaDb.Schema;

/// <summary>
/// An expression split at the operators whose parentheses PostgreSQL prints around every use
/// (OR, AND, NOT, IS, comparisons), so that those parentheses stop mattering. What lies below
/// a comparison stays a run of tokens.
/// </summary>
internal abstract record SqlExpression
{
    /// <summary>How tightly it binds, as PostgreSQL ranks it: a child that binds less needs parentheses when printed.</summary>
    public abstract int Precedence { get; }

    public abstract string Render();

    protected static string Child(SqlExpression child, int minimum) =>
        child.Precedence < minimum ? "(" + child.Render() + ")" : child.Render();
}

/// <summary>AND or OR over two or more operands; nested ones of the same kind are flattened, as PostgreSQL does.</summary>
internal sealed record SqlBoolean(string Operator, IReadOnlyList<SqlExpression> Operands) : SqlExpression
{
    public override int Precedence => Operator == "or" ? 1 : 2;

    public override string Render() => string.Join($" {Operator} ", Operands.Select(o => Child(o, Precedence + 1)));
}

internal sealed record SqlNot(SqlExpression Operand) : SqlExpression
{
    public override int Precedence => 3;

    public override string Render() => "not " + Child(Operand, Precedence);
}

/// <summary><c>x IS [NOT] NULL|TRUE|FALSE|UNKNOWN</c>, or <c>x IS [NOT] DISTINCT FROM y</c>.</summary>
internal sealed record SqlIs(SqlExpression Operand, string Test, SqlExpression? Right) : SqlExpression
{
    public override int Precedence => 4;

    public override string Render() =>
        Child(Operand, Precedence + 1) + " " + Test + (Right is null ? string.Empty : " " + Child(Right, Precedence + 1));
}

internal sealed record SqlComparison(SqlExpression Left, string Operator, SqlExpression Right) : SqlExpression
{
    public override int Precedence => 5;

    public override string Render() => Child(Left, Precedence + 1) + " " + Operator + " " + Child(Right, Precedence + 1);
}

/// <summary>
/// Anything else: tokens, and groups in parentheses or brackets whose arguments are
/// expressions of their own (a call's arguments, <c>CHECK (...)</c>, <c>ARRAY[...]</c>).
/// </summary>
internal sealed record SqlTerm(IReadOnlyList<SqlTermPart> Parts) : SqlExpression
{
    public override int Precedence => 6;

    public override string Render() => SqlTokenText.Join(Parts);
}

internal abstract record SqlTermPart;

internal sealed record SqlTokenPart(SqlToken Token) : SqlTermPart;

internal sealed record SqlGroup(bool Brackets, IReadOnlyList<SqlExpression> Arguments) : SqlTermPart
{
    public string Open => Brackets ? "[" : "(";

    public string Close => Brackets ? "]" : ")";
}
