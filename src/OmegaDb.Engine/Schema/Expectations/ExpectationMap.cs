using System.Collections;

namespace OmegaDb.Schema.Expectations;

/// <summary>
/// A hashtable of known keys. Keys match case-insensitively, as PowerShell users expect, and
/// an unknown or repeated key is an error that names its path and the keys allowed there.
/// </summary>
internal sealed class ExpectationMap
{
    private readonly Dictionary<string, ExpectationNode> _values = new(StringComparer.OrdinalIgnoreCase);

    public ExpectationMap(ExpectationNode node, IDictionary dictionary, IReadOnlyList<string> allowedKeys)
    {
        foreach (var (key, value) in node.Entries(dictionary))
        {
            var known = allowedKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            var path = ExpectationNode.Join(node.Path, key);
            if (known is null)
            {
                throw ExpectationErrors.Invalid(path, $"unknown key '{key}'. Allowed keys here: {string.Join(", ", allowedKeys)}.");
            }

            if (!_values.TryAdd(known, new ExpectationNode(value, path)))
            {
                throw ExpectationErrors.Invalid(path, $"the key '{known}' is given twice (keys are case-insensitive).");
            }
        }
    }

    public bool Has(string key) => _values.ContainsKey(key);

    public ExpectationNode? Get(string key) => _values.TryGetValue(key, out var value) ? value : null;
}
