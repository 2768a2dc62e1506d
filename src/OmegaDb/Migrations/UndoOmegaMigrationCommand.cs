using System.Management.Automation;
using OmegaDb.Migrations;

namespace OmegaDb.Commands;

/// <summary>
/// Undo-OmegaMigration: runs the down sections of the newest applied migrations, newest
/// first, after reporting what they destroy; refuses to destroy data without a backup taken
/// after the migration, unless -Force.
/// </summary>
[Cmdlet(VerbsCommon.Undo, "OmegaMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = CountSet)]
[OutputType(typeof(OmegaMigrationResult))]
public sealed class UndoOmegaMigrationCommand : MigrationRunCmdlet
{
    private const string CountSet = "Count";
    private const string ToSet = "To";

    /// <summary>How many of the newest applied migrations to undo; default 1.</summary>
    [Parameter(ParameterSetName = CountSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; } = 1;

    /// <summary>Undo every applied migration newer than this version, keeping it (0: undo them all).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ToSet)]
    [ValidateRange(0, long.MaxValue)]
    public long To { get; set; }

    /// <summary>A backup of this database taken after the newest undone migration was applied: lets the undo destroy data.</summary>
    [Parameter]
    [ValidateNotNull]
    public OmegaBackup? Backup { get; set; }

    /// <summary>Undo although data is lost and no qualifying backup was given.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        UndoRequest request;
        try
        {
            request = new UndoRequest
            {
                Database = Database,
                Scripts = MigrationDirectory.Load(GetUnresolvedProviderPathFromPSPath(Path)),
                Count = ParameterSetName == CountSet ? Count : null,
                To = ParameterSetName == ToSet ? To : null,
                DryRun = DryRun,
                Backup = Backup,
                Force = Force,
                LockTimeout = LockTimeout,
                StatementTimeout = StatementTimeout,
                RetryCount = RetryCount,
                LockWaitTimeout = LockWaitTimeout,
                History = Migrations.HistoryTable.Parse(HistoryTable),
            };
        }
        catch (OmegaException ex)
        {
            ThrowOmegaError(ex, Path);
            return;
        }

        var activity = DryRun ? $"Undo-OmegaMigration -DryRun {Database.Name}" : $"Undo-OmegaMigration {Database.Name}";
        UndoSession session;
        try
        {
            session = Run(activity, (progress, ct) => UndoSession.OpenAsync(request, progress, ct));
        }
        catch (OmegaException ex)
        {
            ThrowOmegaError(ex, ex.Target ?? Database);
            return;
        }

        try
        {
            WriteReport(session);
            if (session.DryRun is { } dryRun)
            {
                WriteResults(dryRun.Results);
                if (dryRun.Failure is not null)
                {
                    ThrowOmegaError(dryRun.Failure, dryRun.Failure.Target);
                }

                return;
            }

            if (session.Refusal is not null)
            {
                ThrowOmegaError(session.Refusal, session.Refusal.Target);
            }

            if (session.GuardDecision is not null)
            {
                WriteVerbose(session.GuardDecision);
            }

            UndoEach(session, activity);
        }
        finally
        {
            session.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Newest first, each confirmed right before it runs. A migration declined stops the ones
    /// after it: undoing an older migration while a newer one stays would leave the newer
    /// one's changes on a schema it was not written for.
    /// </summary>
    private void UndoEach(UndoSession session, string activity)
    {
        var whatIf = MyInvocation.BoundParameters.ContainsKey("WhatIf");
        var declined = false;
        for (var i = 0; i < session.Targets.Count; i++)
        {
            var target = session.Targets[i];
            var losses = session.Losses[i].Where(l => l.Count > 0 || !l.Counted).ToList();
            var action = losses.Count == 0
                ? $"Undo migration {target.Script.Version} ({target.Script.Name}): run its down section and remove its history row; no data is lost"
                : $"Undo migration {target.Script.Version} ({target.Script.Name}): run its down section and remove its history row, destroying {DataLossGuard.Summary(losses)}";
            if (declined || !ShouldProcess($"{Database.Name}: migration {target.Label}", action))
            {
                declined = true;
                if (whatIf)
                {
                    continue;
                }

                return;
            }

            OmegaMigrationResult result;
            try
            {
                result = Run(activity, (progress, ct) => session.UndoAsync(i, progress, ct));
            }
            catch (OmegaException ex)
            {
                ThrowOmegaError(ex, Database);
                return;
            }

            WriteResults([result]);
            if (result.Status == MigrationResultStatus.Failed)
            {
                // Terminating, so that a runbook stops here rather than carrying on with a half-undone database.
                var failure = UndoSession.FailureOf(result);
                ThrowOmegaError(failure, failure.Target);
            }
        }
    }

    private void WriteReport(UndoSession session)
    {
        foreach (var loss in session.Losses.SelectMany(l => l))
        {
            if (loss.Count > 0 || !loss.Counted)
            {
                WriteWarning(loss.Description);
            }
            else
            {
                WriteVerbose(loss.Description);
            }
        }
    }

    private void WriteResults(IEnumerable<OmegaMigrationResult> results)
    {
        foreach (var result in results)
        {
            foreach (var warning in result.Warnings)
            {
                WriteWarning($"{result.Version} {result.Name}: {warning}");
            }

            WriteObject(result);
        }
    }
}
