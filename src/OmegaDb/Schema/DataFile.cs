using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace OmegaDb.Commands;

/// <summary>
/// Reads a .psd1 the way Import-PowerShellDataFile does: parsed, never run, so an expectation
/// file can hold only data.
/// </summary>
internal static class DataFile
{
    public static IDictionary Read(string path)
    {
        var ast = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
        {
            var first = errors[0];
            throw new OmegaException("OmegaDb.InvalidSchemaExpectation", OmegaErrorCategory.InvalidArgument,
                $"'{path}' is not a valid PowerShell data file: line {first.Extent.StartLineNumber}: {first.Message}", path);
        }

        var hashtable = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false);
        if (hashtable is null)
        {
            throw new OmegaException("OmegaDb.InvalidSchemaExpectation", OmegaErrorCategory.InvalidArgument,
                $"'{path}' holds no hashtable: an expectation file is one @{{ ... }}.", path);
        }

        try
        {
            return (IDictionary)hashtable.SafeGetValue();
        }
        catch (InvalidOperationException ex)
        {
            throw new OmegaException("OmegaDb.InvalidSchemaExpectation", OmegaErrorCategory.InvalidArgument,
                $"'{path}' may hold only data (strings, numbers, booleans, arrays, hashtables): {ex.Message}", path);
        }
    }
}
