using System.Management.Automation;
using OmegaDb.Migrations;

namespace OmegaDb.Commands;

/// <summary>Get-OmegaMigration: the migration files, and with a database their status against its history.</summary>
[Cmdlet(VerbsCommon.Get, "OmegaMigration")]
[OutputType(typeof(OmegaMigration))]
public sealed class GetOmegaMigrationCommand : OmegaCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [OmegaDatabaseTransformation]
    public OmegaDatabase? Database { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HistoryTable { get; set; }

    [Parameter]
    public MigrationStatus[]? Status { get; set; }

    private IReadOnlyList<MigrationScript>? _scripts;
    private bool _sawDatabase;

    protected override void ProcessRecord()
    {
        try
        {
            _scripts ??= MigrationDirectory.Load(GetUnresolvedProviderPathFromPSPath(Path));
        }
        catch (OmegaException ex)
        {
            ThrowOmegaError(ex, Path);
            return;
        }

        if (Database is null)
        {
            return;
        }

        _sawDatabase = true;
        try
        {
            var history = Migrations.HistoryTable.Parse(HistoryTable);
            var database = Database;
            var entries = Run($"Get-OmegaMigration {database.Name}", (_, ct) => MigrationHistoryReader.ReadAsync(database, history, ct));
            Write(MigrationCatalog.Describe(_scripts, entries, database));
        }
        catch (OmegaException ex)
        {
            WriteOmegaError(ex, Database);
        }
    }

    protected override void EndProcessing()
    {
        if (!_sawDatabase && _scripts is not null)
        {
            Write(MigrationCatalog.Describe(_scripts, null, null));
        }
    }

    private void Write(IEnumerable<OmegaMigration> migrations)
    {
        foreach (var migration in migrations)
        {
            if (Status is not { Length: > 0 } || Status.Contains(migration.Status))
            {
                WriteObject(migration);
            }
        }
    }
}
