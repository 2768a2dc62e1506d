using System.Management.Automation;
using OmegaDb.Migrations;
using OmegaDb.Rehearsals;

namespace OmegaDb.Commands;

/// <summary>
/// Invoke-OmegaMigration: applies pending migrations under the migration lock, or rehearses
/// them with -DryRun; on a database marked Production only after a matching rehearsal.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "OmegaMigration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(OmegaMigrationResult))]
public sealed class InvokeOmegaMigrationCommand : MigrationRunCmdlet
{
    /// <summary>Apply up to and including this version.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long To { get; set; } = -1;

    [Parameter]
    public SwitchParameter SkipRehearsalCheck { get; set; }

    /// <summary>The rehearsal log; default .omega/rehearsals.json in the migrations folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RehearsalPath { get; set; }

    protected override void ProcessRecord()
    {
        MigrationRunRequest request;
        try
        {
            var folder = GetUnresolvedProviderPathFromPSPath(Path);
            request = new MigrationRunRequest
            {
                Database = Database,
                Scripts = MigrationDirectory.Load(folder),
                To = To >= 0 ? To : null,
                DryRun = DryRun,
                LockTimeout = LockTimeout,
                StatementTimeout = StatementTimeout,
                RetryCount = RetryCount,
                LockWaitTimeout = LockWaitTimeout,
                History = Migrations.HistoryTable.Parse(HistoryTable),
                Rehearsals = RehearsalLog.For(folder, RehearsalPath is null ? null : GetUnresolvedProviderPathFromPSPath(RehearsalPath)),
                SkipRehearsalCheck = SkipRehearsalCheck,
            };
        }
        catch (OmegaException ex)
        {
            ThrowOmegaError(ex, Path);
            return;
        }

        if (!DryRun)
        {
            var action = To >= 0 ? $"Apply pending migrations up to version {To} from {Path}" : $"Apply pending migrations from {Path}";
            if (!ShouldProcess(Database.Name, action))
            {
                return;
            }

            if (SkipRehearsalCheck && Database.IsProduction && !ConfirmedSkip())
            {
                return;
            }
        }

        MigrationRunOutcome outcome;
        try
        {
            outcome = Run(DryRun ? $"Invoke-OmegaMigration -DryRun {Database.Name}" : $"Invoke-OmegaMigration {Database.Name}",
                (progress, ct) => MigrationRunner.RunAsync(request, progress, ct));
        }
        catch (OmegaException ex)
        {
            ThrowOmegaError(ex, Database);
            return;
        }

        if (outcome.GateDecision is not null)
        {
            WriteVerbose(outcome.GateDecision);
        }

        foreach (var warning in outcome.Warnings)
        {
            WriteWarning(warning);
        }

        foreach (var result in outcome.Results)
        {
            foreach (var warning in result.Warnings)
            {
                WriteWarning($"{result.Version} {result.Name}: {warning}");
            }

            WriteObject(result);
        }

        if (outcome.Failure is not null)
        {
            // Terminating, so that a runbook with $ErrorActionPreference = 'Stop' (or a plain
            // script) does not carry on to the next step after a failed migration.
            ThrowOmegaError(outcome.Failure, outcome.Failure.Target);
        }
    }

    /// <summary>Skipping the production gate is high impact: it asks unless -Confirm:$false was given.</summary>
    private bool ConfirmedSkip()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Confirm", out var confirm) && confirm is SwitchParameter { IsPresent: false })
        {
            return true;
        }

        return ShouldContinue(
            $"{Database.Name} is marked Production. -SkipRehearsalCheck applies the migrations without a rehearsal on a sandbox with the same schema. Continue?",
            "Skip the production rehearsal check");
    }
}
