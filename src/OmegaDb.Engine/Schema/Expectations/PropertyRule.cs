namespace OmegaDb.Schema.Expectations;

/// <summary>What a property's expected value may be in the expectation tree.</summary>
internal enum ValueShape
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A string, or $null for "none" (no default, not partial...).</summary>
    OptionalText,

    Flag,
    Integer,

    /// <summary>One string or an array of strings.</summary>
    TextList,
}

/// <summary>Compares an expected value (string, bool, long or list, as parsed) with the model's.</summary>
internal delegate bool ValueMatch(object? expected, object? actual);

/// <summary>
/// One property an expectation may pin on an object of type <typeparamref name="T"/>: the
/// key users write, the shape of its value, how to read the actual value, how the two
/// compare and how the assertion reads (<c>has type text</c>).
/// </summary>
internal sealed class PropertyRule<T>(string key, ValueShape shape, Func<T, object?> read, ValueMatch match, Func<object?, string> phrase)
{
    public string Key { get; } = key;

    public ValueShape Shape { get; } = shape;

    /// <summary>The spellings allowed for a value from a fixed set (a constraint's Type), canonical first.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    public object? Read(T actual) => read(actual);

    public bool Matches(object? expected, T actual) => match(expected, read(actual));

    public string Phrase(object? expected) => phrase(expected);
}

/// <summary>A property the user pinned, with its parsed value.</summary>
internal sealed record PropertyExpectation<T>(PropertyRule<T> Rule, object? Value)
{
    public bool IsMetBy(T actual) => Rule.Matches(Value, actual);

    /// <summary><c>Method gin</c>: for a described object's summary.</summary>
    public string Summary => Rule.Key + " " + ExpectationText.Show(Value);
}
