using System.Collections;
using System.Management.Automation;
using OmegaDb.Data;

namespace OmegaDb.Commands;

/// <summary>
/// Copy-OmegaData: streams rows from one database into another with COPY, parents before
/// children; -Limit and -Where take some rows plus the parent rows they reference, -Mask
/// replaces sensitive values on the way.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "OmegaData", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OmegaDataCopyResult))]
public sealed class CopyOmegaDataCommand : OmegaCmdlet
{
    public const string ProductionDestinationErrorId = "OmegaDb.ProductionDestination";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Source { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Destination { get; set; } = null!;

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Table { get; set; } = [];

    /// <summary>Rows per table, before the referenced parent rows are added.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Limit { get; set; }

    /// <summary>A predicate for every table (string), or per table (hashtable of table to predicate).</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Where { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Hashtable? Mask { get; set; }

    [Parameter]
    public SwitchParameter Truncate { get; set; }

    /// <summary>Allows writing into a database marked Production.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        DataCopyOptions options;
        try
        {
            options = BuildOptions();
        }
        catch (OmegaException ex)
        {
            ThrowOmegaError(ex);
            return;
        }

        if (Destination.IsProduction && !Force)
        {
            WriteOmegaError(new OmegaException(ProductionDestinationErrorId, OmegaErrorCategory.SecurityError,
                $"{Destination.Name} is marked Production, and Copy-OmegaData writes into the destination. Copy into a sandbox (New-OmegaSandbox) instead, or add -Force if writing into production is really intended.",
                Destination), Destination);
            return;
        }

        var tables = Table.Length == 0 ? "all tables" : string.Join(", ", Table);
        var rows = Limit is { } limit ? $"up to {limit} rows per table (plus referenced parent rows)" : Where is null ? "all rows" : "filtered rows";
        var action = $"Copy {rows} of {tables} from {Source.Name}{(Truncate ? ", emptying those tables first" : string.Empty)}";
        if (!ShouldProcess(Destination.Name, action))
        {
            return;
        }

        try
        {
            var results = Run($"Copy-OmegaData {Source.Name} to {Destination.Name}",
                (progress, ct) => DataCopier.CopyAsync(Source, Destination, options, DataCopyProgress.Relay(progress), ct));
            foreach (var result in results)
            {
                WriteObject(result);
            }
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Destination);
        }
    }

    private DataCopyOptions BuildOptions()
    {
        var where = Unwrap(Where);
        var tableWhere = new Dictionary<string, string>(StringComparer.Ordinal);
        string? everyTable = null;
        switch (where)
        {
            case null:
                break;
            case string text when string.IsNullOrWhiteSpace(text):
                throw InvalidWhere("it is empty");
            case string text:
                everyTable = text;
                break;
            case IDictionary perTable:
                foreach (DictionaryEntry entry in perTable)
                {
                    tableWhere[Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture)!] =
                        Unwrap(entry.Value) as string ?? throw InvalidWhere($"the filter for '{entry.Key}' is not a string");
                }

                break;
            default:
                throw InvalidWhere($"it is a {where.GetType().Name}");
        }

        var masks = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Mask ?? [])
        {
            masks[Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture)!] = Unwrap(entry.Value);
        }

        return new DataCopyOptions
        {
            Tables = Table,
            Limit = Limit,
            Where = everyTable,
            TableWhere = tableWhere,
            Masks = masks,
            Truncate = Truncate,
        };
    }

    private static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    private static OmegaException InvalidWhere(string problem) =>
        new(DataCopyPlanner.InvalidWhereErrorId, OmegaErrorCategory.InvalidArgument,
            $"-Where takes a predicate for every table (\"created_at > now() - interval '30 days'\") or a hashtable of table to predicate (@{{ orders = 'total > 100' }}); {problem}.");
}
