using System.Collections.Specialized;
using System.Text.Json;

namespace OmegaDb.Schema.Expectations;

/// <summary>
/// Turns a JSON expectation into the same tree a PowerShell hashtable gives: objects become
/// ordered dictionaries (written order kept), arrays lists, numbers long (or double), so one
/// parser serves both.
/// </summary>
public static class ExpectationTree
{
    public static object? FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
            });
            return Convert(document.RootElement, string.Empty);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}" : string.Empty;
            throw ExpectationErrors.Invalid(string.Empty, $"the JSON is not valid{where}: {ex.Message}");
        }
    }

    private static object? Convert(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(element, path),
        JsonValueKind.Array => element.EnumerateArray().Select((item, i) => Convert(item, $"{path}[{i}]")).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? (object)whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static OrderedDictionary ConvertObject(JsonElement element, string path)
    {
        var dictionary = new OrderedDictionary(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = ExpectationNode.Join(path, property.Name);
            if (dictionary.Contains(property.Name))
            {
                throw ExpectationErrors.Invalid(propertyPath, $"the key '{property.Name}' is given twice.");
            }

            dictionary.Add(property.Name, Convert(property.Value, propertyPath));
        }

        return dictionary;
    }
}
