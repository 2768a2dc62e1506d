using System.Globalization;
using Npgsql;

namespace OmegaDb.Migrations;

/// <summary>
/// Reads a verify statement's result the way SPEC defines a pass: every value is true or a
/// non-zero number. Anything else (null, false, zero, text) fails and says which value.
/// </summary>
internal static class VerifyCheck
{
    /// <summary>Null when every value passed, otherwise why not.</summary>
    public static async Task<string?> RunAsync(NpgsqlBatch command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var row = 0;
        do
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                row++;
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    if (!IsTrue(value))
                    {
                        return $"row {row}, column {reader.GetName(i)} is {Describe(value)}, not true or a non-zero number";
                    }
                }
            }
        }
        while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return null;
    }

    private static bool IsTrue(object? value) => value switch
    {
        bool b => b,
        short or int or long or byte or sbyte or ushort or uint or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture) != 0,
        decimal d => d != 0,
        double d => d != 0 && !double.IsNaN(d),
        float f => f != 0 && !float.IsNaN(f),
        System.Numerics.BigInteger big => !big.IsZero,
        _ => false,
    };

    private static string Describe(object? value) => value switch
    {
        null => "NULL",
        string s => $"'{(s.Length > 40 ? s[..40] + "..." : s)}'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };
}
