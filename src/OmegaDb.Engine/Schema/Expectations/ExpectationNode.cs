using System.Collections;
using System.Globalization;

namespace OmegaDb.Schema.Expectations;

/// <summary>
/// One value of an expectation tree (hashtables, arrays and scalars, as PowerShell or
/// <see cref="ExpectationTree.FromJson"/> hands them over), with its path from the root so
/// that every error can say where it is.
/// </summary>
internal readonly struct ExpectationNode(object? value, string path)
{
    public object? Value { get; } = value;

    public string Path { get; } = path;

    public bool IsNull => Value is null;

    public bool IsMap => Value is IDictionary;

    public bool IsList => Value is IEnumerable and not string and not IDictionary;

    /// <summary>The keys of a hashtable, checked against the keys allowed here (case-insensitive).</summary>
    public ExpectationMap Map(string what, IReadOnlyList<string> allowedKeys)
    {
        if (Value is not IDictionary dictionary)
        {
            throw Error($"expected {what}, a hashtable with the keys {string.Join(", ", allowedKeys)}; got {Describe(Value)}.");
        }

        return new ExpectationMap(this, dictionary, allowedKeys);
    }

    /// <summary>The entries of a hashtable whose keys name objects (tables, columns...).</summary>
    public IEnumerable<(string Name, ExpectationNode Value)> NamedEntries(string what)
    {
        if (Value is not IDictionary dictionary)
        {
            throw Error($"expected {what}; got {Describe(Value)}.");
        }

        foreach (var (key, value) in Entries(dictionary))
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw Error("an empty name is not allowed here.");
            }

            yield return (key, new ExpectationNode(value, Join(Path, key)));
        }
    }

    /// <summary>The items of an array; a single value counts as an array of one.</summary>
    public IEnumerable<ExpectationNode> Items()
    {
        if (!IsList)
        {
            yield return this;
            yield break;
        }

        var index = 0;
        foreach (var item in (IEnumerable)Value!)
        {
            yield return new ExpectationNode(item, $"{Path}[{index++}]");
        }
    }

    public string Text(string what) => Value switch
    {
        string text when !string.IsNullOrWhiteSpace(text) => text,
        string => throw Error($"{what} must not be empty."),
        _ => throw Error($"{what} must be a string; got {Describe(Value)}."),
    };

    public string? OptionalText(string what) => Value is null ? null : Text(what);

    public bool Flag(string what) => Value is bool flag ? flag : throw Error($"{what} must be $true or $false; got {Describe(Value)}.");

    public long Integer(string what) => Value switch
    {
        int or long or short or byte or sbyte or ushort or uint => Convert.ToInt64(Value, CultureInfo.InvariantCulture),
        _ => throw Error($"{what} must be a whole number; got {Describe(Value)}."),
    };

    /// <summary>One string or an array of strings.</summary>
    public IReadOnlyList<string> TextList(string what)
    {
        var items = Items().Select(item => item.Text(what)).ToList();
        return items.Count > 0 ? items : throw Error($"{what} must list at least one value.");
    }

    public OmegaException Error(string problem) => ExpectationErrors.Invalid(Path, problem);

    /// <summary>
    /// A PowerShell @{} keeps no order, so its keys are sorted to give the same results on every
    /// run; ordered dictionaries ([ordered]@{}, JSON objects) keep the order they were written in.
    /// </summary>
    public IEnumerable<(string Key, object? Value)> Entries(IDictionary dictionary)
    {
        var entries = new List<(string, object?)>();
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
            {
                throw Error($"keys must be strings; got {Describe(entry.Key)}.");
            }

            entries.Add((key, entry.Value));
        }

        return dictionary is Hashtable ? entries.OrderBy(e => e.Item1, StringComparer.OrdinalIgnoreCase) : entries;
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    public static string Describe(object? value) => value switch
    {
        null => "$null",
        string text => $"'{text}'",
        bool flag => flag ? "$true" : "$false",
        IDictionary => "a hashtable",
        IEnumerable => "an array",
        IFormattable number => $"{number.ToString(null, CultureInfo.InvariantCulture)} ({value.GetType().Name})",
        _ => $"a {value.GetType().Name}",
    };
}
