using OmegaDb.Schema;

namespace OmegaDb.Migrations;

/// <summary>
/// How one migration's up (or, for an undo, down) section will run: the statements in order (a dry run rehearses a
/// CONCURRENTLY statement in its plain form and leaves out what cannot run in a transaction),
/// the warnings to attach to its result, and the transaction control (in the up section of a
/// transactional migration or of any dry run, and in every verify section) that refuses the run.
/// </summary>
internal sealed class StatementPlan
{
    private StatementPlan(MigrationScript script, IReadOnlyList<PlannedStatement> steps, IReadOnlyList<string> warnings,
        IReadOnlyList<DryRunFinding> transactionControl)
    {
        Script = script;
        Steps = steps;
        Warnings = warnings;
        TransactionControl = transactionControl;
    }

    public MigrationScript Script { get; }

    public IReadOnlyList<PlannedStatement> Steps { get; }

    public IReadOnlyList<string> Warnings { get; }

    public IReadOnlyList<DryRunFinding> TransactionControl { get; }

    /// <summary>
    /// Whether the schema after the migration may be read incrementally: only the relations
    /// it locked (see IncrementalSchemaReader). False when a statement could change how
    /// relations it does not lock are printed: a rename, a move to another schema, a drop
    /// with CASCADE, or code (DO, CALL, SELECT) whose DDL cannot be seen in the text.
    /// </summary>
    public bool IncrementalCapture { get; private init; }

    /// <summary>
    /// No statement drops anything (not even a column, whose serial sequence goes with it):
    /// every relation the earlier snapshot has still exists, and an incremental read need only
    /// list the relations the migration locked.
    /// </summary>
    public bool KeepsRelations { get; private init; }

    /// <summary>
    /// Every statement is one that cannot create, change or drop a type, function or
    /// extension, so an incremental read takes those from the earlier snapshot.
    /// </summary>
    public bool KeepsRoutines { get; private init; }

    /// <summary>What to read again after this migration, given what its transaction locked.</summary>
    public IncrementalScope ScopeAfter(FootprintMeasurement measurement) => new(measurement.HeldRelations)
    {
        ListedRelations = KeepsRelations ? measurement.HeldOids : null,
        Routines = !KeepsRoutines,
    };

    /// <summary>Statements a dry run left out because no transaction can run them.</summary>
    public int LeftOut { get; private init; }

    public static StatementPlan For(MigrationScript script, bool dryRun) => Build(script, script.Up, script.Verify, dryRun);

    /// <summary>How the down section runs, for Undo-OmegaMigration: the same rules as the up section; a down has no verify section.</summary>
    public static StatementPlan ForDown(MigrationScript script, bool dryRun) =>
        Build(script, script.Down ?? throw new InvalidOperationException($"{script.FileName} has no down section."), null, dryRun);

    private static StatementPlan Build(MigrationScript script, MigrationSection section, MigrationSection? verify, bool dryRun)
    {
        var steps = new List<PlannedStatement>();
        var leftOut = 0;
        var warnings = new List<string>();
        var control = new List<DryRunFinding>();
        foreach (var statement in section.Statements)
        {
            var findings = DryRunAnalyzer.Analyze(statement);
            var run = statement;
            var skip = false;
            foreach (var finding in findings)
            {
                var where = $"{script.FileName}:{finding.Line}:{finding.Column}";
                switch (finding.Kind)
                {
                    case DryRunFindingKind.TransactionControl:
                        if (dryRun || script.Transactional)
                        {
                            control.Add(finding);
                        }

                        break;
                    case DryRunFindingKind.NotTransactional when dryRun && finding.Rewrite is { } rewrite:
                        run = rewrite;
                        warnings.Add($"Rehearsed in a changed form at {where}: {finding.Message}");
                        break;
                    case DryRunFindingKind.NotTransactional when dryRun:
                        skip = true;
                        leftOut++;
                        warnings.Add($"Not rehearsable at {where}, left out of the dry run: {finding.Message}");
                        break;
                    case DryRunFindingKind.NotTransactional when script.Transactional:
                        warnings.Add($"{where}: {finding.Message} Mark the migration -- omega:no-transaction, or it fails.");
                        break;
                    case DryRunFindingKind.NotTransactional:
                        break;
                    case DryRunFindingKind.NotUndoable when dryRun:
                        warnings.Add($"Not undone by the dry run's rollback at {where}: {finding.Message}");
                        break;
                    case DryRunFindingKind.NotUndoable:
                        break;
                    default:
                        warnings.Add($"{where}: {finding.Message}");
                        break;
                }
            }

            if (!skip)
            {
                steps.Add(new PlannedStatement(statement, run));
            }
        }

        // The verify section always runs inside a transaction (the migration's, or one of its
        // own after a no-transaction migration), before the history row is written: a COMMIT
        // there would keep a dry run's changes and record a failed migration as applied.
        foreach (var statement in verify?.Statements ?? [])
        {
            if (TransactionControlRule.Check(statement) is { } finding)
            {
                control.Add(finding);
            }
        }

        var statements = section.Statements;
        return new StatementPlan(script, steps, warnings, control)
        {
            LeftOut = leftOut,
            IncrementalCapture = statements.All(LocksWhatItChanges),
            KeepsRelations = !statements.Any(s => s.Tokens.Any(t => t.IsKeyword("DROP"))),
            KeepsRoutines = statements.All(LeavesRoutinesAlone),
        };
    }

    // Kinds that touch relations only. A table's row type is not among the snapshot's types,
    // so creating or dropping a table leaves those alone.
    private static readonly HashSet<string> RelationOnlyKinds = new(StringComparer.Ordinal)
    {
        "CREATE TABLE", "CREATE INDEX", "CREATE VIEW", "CREATE MATERIALIZED VIEW", "CREATE SEQUENCE", "CREATE TRIGGER",
        "ALTER TABLE", "ALTER INDEX", "ALTER SEQUENCE", "ALTER VIEW", "ALTER MATERIALIZED VIEW",
        "DROP TABLE", "DROP INDEX", "DROP VIEW", "DROP MATERIALIZED VIEW", "DROP SEQUENCE", "DROP TRIGGER",
        "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "ANALYZE", "REFRESH MATERIALIZED VIEW", "LOCK",
    };

    private static readonly string[] RelationCommentTargets = ["TABLE", "COLUMN", "INDEX", "VIEW", "MATERIALIZED", "SEQUENCE", "CONSTRAINT", "TRIGGER"];

    private static bool LeavesRoutinesAlone(SqlStatement statement)
    {
        var kind = StatementKind.Describe(statement);
        if (kind == "COMMENT")
        {
            // COMMENT ON <object kind> ...: the third token.
            return statement.Tokens.Count > 2 && statement.Tokens[2].IsKeyword(RelationCommentTargets);
        }

        return RelationOnlyKinds.Contains(kind);
    }

    private static readonly HashSet<string> LockingKinds = new(StringComparer.Ordinal)
    {
        "CREATE TABLE", "CREATE INDEX", "CREATE VIEW", "CREATE MATERIALIZED VIEW", "CREATE SEQUENCE", "CREATE TRIGGER",
        "CREATE FUNCTION", "CREATE PROCEDURE", "CREATE TYPE", "CREATE DOMAIN", "CREATE SCHEMA", "CREATE EXTENSION",
        "ALTER TABLE", "ALTER INDEX", "ALTER SEQUENCE", "ALTER VIEW", "ALTER MATERIALIZED VIEW",
        "DROP TABLE", "DROP INDEX", "DROP VIEW", "DROP MATERIALIZED VIEW", "DROP SEQUENCE", "DROP TRIGGER",
        "DROP FUNCTION", "DROP PROCEDURE", "DROP TYPE", "DROP DOMAIN", "DROP SCHEMA", "DROP EXTENSION",
        "INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COMMENT", "GRANT", "REVOKE", "ANALYZE", "REFRESH MATERIALIZED VIEW",
        "LOCK",
    };

    private static bool LocksWhatItChanges(SqlStatement statement) =>
        LockingKinds.Contains(StatementKind.Describe(statement)) &&
        !statement.Tokens.Any(t => t.IsKeyword("RENAME") || t.IsKeyword("CASCADE")) &&
        !statement.Tokens.Zip(statement.Tokens.Skip(1)).Any(p => p.First.IsKeyword("SET") && p.Second.IsKeyword("SCHEMA"));
}

/// <summary>A statement of the file and the form that runs (the same, or its rehearsable rewrite).</summary>
internal sealed record PlannedStatement(SqlStatement Statement, SqlStatement Run);
