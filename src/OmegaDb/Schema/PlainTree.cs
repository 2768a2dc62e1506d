using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace OmegaDb.Commands;

/// <summary>
/// Strips PowerShell's wrappers from a hashtable tree, so the engine sees plain dictionaries
/// (keys compared as PowerShell compares them: ignoring case; order kept), lists and scalars.
/// </summary>
internal static class PlainTree
{
    public static IDictionary From(IDictionary dictionary) => (IDictionary)Convert(dictionary)!;

    private static object? Convert(object? value)
    {
        value = value is PSObject pso ? pso.BaseObject : value;
        switch (value)
        {
            case null or string:
                return value;
            case IDictionary dictionary:
                var plain = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                foreach (DictionaryEntry entry in dictionary)
                {
                    plain[Convert(entry.Key)?.ToString() ?? string.Empty] = Convert(entry.Value);
                }

                return plain;
            case IEnumerable items:
                return items.Cast<object?>().Select(Convert).ToList();
            default:
                return value;
        }
    }
}
