namespace OmegaDb.Migrations;

/// <summary>
/// Static analysis of migration statements before anything runs, for -DryRun and for real
/// runs: transaction control that would defeat the rollback, statements a transaction
/// refuses, side effects a rollback cannot undo, and things a migration cannot do at all.
/// It reads tokens only, so it errs towards silence on what it cannot see (dynamic SQL,
/// bodies of functions a statement calls).
/// </summary>
internal static class DryRunAnalyzer
{
    public static IReadOnlyList<DryRunFinding> Analyze(IEnumerable<SqlStatement> statements) =>
        statements.SelectMany(Analyze).ToList();

    public static IReadOnlyList<DryRunFinding> Analyze(SqlStatement statement)
    {
        var findings = new List<DryRunFinding>();
        findings.AddIfNotNull(TransactionControlRule.Check(statement));
        findings.AddIfNotNull(NonTransactionalRule.Check(statement));
        findings.AddIfNotNull(PsqlMetaCommandRule.Check(statement));
        findings.AddIfNotNull(CopyRule.Check(statement));
        findings.AddRange(NonUndoableCallRule.Check(statement));
        return findings;
    }

    private static void AddIfNotNull(this List<DryRunFinding> findings, DryRunFinding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }
}
