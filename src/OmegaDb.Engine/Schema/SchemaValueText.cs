using System.Globalization;

namespace OmegaDb.Schema;

/// <summary>
/// How a property value reads in a change or a test result: lists as comma-separated text,
/// bools as True/False, numbers in the invariant culture, so the output is the same on every
/// machine and can be matched in scripts.
/// </summary>
internal static class SchemaValueText
{
    public static string? Render(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "True" : "False",
        IEnumerable<string> items => string.Join(", ", items),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>Lists compare item by item, so an item that contains a comma cannot pass for two.</summary>
    public static bool AreEqual(object? left, object? right) => (left, right) switch
    {
        (IEnumerable<string> a, IEnumerable<string> b) => a.SequenceEqual(b, StringComparer.Ordinal),
        _ => string.Equals(Render(left), Render(right), StringComparison.Ordinal),
    };
}
