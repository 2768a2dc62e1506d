using System.Collections;
using System.Management.Automation;
using OmegaDb.Schema;
using OmegaDb.Schema.Expectations;

namespace OmegaDb.Commands;

/// <summary>
/// Test-OmegaSchema: asserts what a database or a snapshot must (and must not) contain, one
/// OmegaSchemaTestResult per assertion; with -Quiet, one boolean per tested schema.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "OmegaSchema", DefaultParameterSetName = SchemaExpectSet)]
[OutputType(typeof(OmegaSchemaTestResult), typeof(bool))]
public sealed class TestOmegaSchemaCommand : OmegaCmdlet
{
    private const string SchemaExpectSet = "SchemaExpect";
    private const string SchemaReferenceSet = "SchemaReference";
    private const string DatabaseExpectSet = "DatabaseExpect";
    private const string DatabaseReferenceSet = "DatabaseReference";

    /// <summary>A snapshot; Schema also binds the property of a piped migration result.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SchemaExpectSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SchemaReferenceSet)]
    [Alias("Schema")]
    [ValidateNotNull]
    public OmegaSchema InputObject { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DatabaseExpectSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = DatabaseReferenceSet)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Database { get; set; } = null!;

    /// <summary>A hashtable, or the path of a .psd1 or .json file holding one.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = SchemaExpectSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DatabaseExpectSet)]
    [ValidateNotNull]
    public object Expect { get; set; } = null!;

    [Parameter(Mandatory = true, ParameterSetName = SchemaReferenceSet)]
    [Parameter(Mandatory = true, ParameterSetName = DatabaseReferenceSet)]
    [ValidateNotNull]
    public OmegaSchema Reference { get; set; } = null!;

    [Parameter]
    public SwitchParameter Quiet { get; set; }

    private SchemaExpectation? _expectation;

    protected override void BeginProcessing()
    {
        if (ParameterSetName is SchemaExpectSet or DatabaseExpectSet)
        {
            try
            {
                _expectation = ExpectationSource.Load(this, Expect);
            }
            catch (OmegaException ex)
            {
                ThrowOmegaError(ex, Expect);
            }
        }
    }

    protected override void ProcessRecord()
    {
        OmegaSchema schema;
        string target;
        if (ParameterSetName is DatabaseExpectSet or DatabaseReferenceSet)
        {
            try
            {
                schema = Run($"Test-OmegaSchema {Database.Name}",
                    (_, ct) => SchemaReader.ReadAsync(Database, new SchemaReadOptions(), ct));
            }
            catch (OmegaException ex)
            {
                WriteOmegaError(ex, Database);
                return;
            }

            target = Database.Name;
        }
        else
        {
            schema = InputObject;
            target = InputObject.Database?.Name ?? InputObject.DatabaseName ?? "schema";
        }

        var results = _expectation is not null
            ? SchemaTester.Test(schema, _expectation, target)
            : SchemaTester.TestReference(schema, Reference, target);
        if (Quiet)
        {
            WriteObject(results.All(r => r.Passed));
            return;
        }

        foreach (var result in results)
        {
            WriteObject(result);
        }
    }

    /// <summary>Turns -Expect (a hashtable or a file) into an expectation; a bad one stops the cmdlet before any test runs.</summary>
    private static class ExpectationSource
    {
        public static SchemaExpectation Load(PSCmdlet cmdlet, object expect)
        {
            var value = expect is PSObject pso ? pso.BaseObject : expect;
            switch (value)
            {
                case IDictionary dictionary:
                    return SchemaExpectation.Parse(PlainTree.From(dictionary));
                case string or FileInfo:
                    var path = cmdlet.GetUnresolvedProviderPathFromPSPath(value is FileInfo f ? f.FullName : (string)value);
                    return FromFile(path);
                default:
                    throw new OmegaException(SchemaExpectation.InvalidErrorId, OmegaErrorCategory.InvalidArgument,
                        $"-Expect takes a hashtable, or the path of a .psd1 or .json file; got a {value.GetType().Name}.");
            }
        }

        private static SchemaExpectation FromFile(string path)
        {
            if (!File.Exists(path))
            {
                throw new OmegaException("OmegaDb.ExpectationFileNotFound", OmegaErrorCategory.ObjectNotFound,
                    $"The expectation file '{path}' does not exist.", path);
            }

            var extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
            return extension switch
            {
                ".json" => SchemaExpectation.FromJson(File.ReadAllText(path)),
                ".psd1" => SchemaExpectation.Parse(PlainTree.From(DataFile.Read(path))),
                _ => throw new OmegaException(SchemaExpectation.InvalidErrorId, OmegaErrorCategory.InvalidArgument,
                    $"'{path}' is neither a .psd1 nor a .json file. Write the expectation as a PowerShell data file or JSON.", path),
            };
        }
    }
}
