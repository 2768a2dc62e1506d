using System.Management.Automation;

namespace OmegaDb.Commands;

/// <summary>
/// The parameters every cmdlet that runs migration sections shares (Invoke-OmegaMigration runs
/// up sections, Undo-OmegaMigration down sections): the database and folder, the dry run, and
/// how long statements may wait for locks, for the migration lock, and where the history is.
/// </summary>
public abstract class MigrationRunCmdlet : OmegaCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [OmegaDatabaseTransformation]
    [ValidateNotNull]
    public OmegaDatabase Database { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter DryRun { get; set; }

    [Parameter]
    public TimeSpan? LockTimeout { get; set; }

    [Parameter]
    public TimeSpan? StatementTimeout { get; set; }

    [Parameter]
    [ValidateRange(0, 100)]
    public int? RetryCount { get; set; }

    [Parameter]
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The history table, <c>schema.table</c>; default omegadb.migration_history.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HistoryTable { get; set; }
}
