using System.Collections;
using System.Collections.Specialized;

namespace OmegaDb.Tests.Schema;

/// <summary>Expectation trees shaped the way PowerShell hands them over: @{} is a case-insensitive Hashtable, [ordered]@{} an OrderedDictionary.</summary>
internal static class ExpectationTrees
{
    /// <summary>@{ key = value; ... } from alternating keys and values.</summary>
    public static Hashtable H(params object?[] keysAndValues)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < keysAndValues.Length; i += 2)
        {
            table.Add(keysAndValues[i]!, keysAndValues[i + 1]);
        }

        return table;
    }

    /// <summary>[ordered]@{ key = value; ... }.</summary>
    public static OrderedDictionary Ordered(params object?[] keysAndValues)
    {
        var table = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < keysAndValues.Length; i += 2)
        {
            table.Add(keysAndValues[i]!, keysAndValues[i + 1]);
        }

        return table;
    }

    /// <summary>'a', 'b', @{...}: a PowerShell array.</summary>
    public static object?[] A(params object?[] items) => items;
}
