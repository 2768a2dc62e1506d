using System.Globalization;
using OmegaDb.Connections;
using OmegaDb.Sandboxes;
using OmegaDb.Schema;

namespace OmegaDb.Backups;

/// <summary>
/// Test-OmegaBackup's work: the checksum, then a real restore into a new sandbox (a truncated
/// archive passes <c>pg_restore --list</c>; only restoring it finds the damage), then the
/// restored schema's fingerprint and row counts against the manifest. The sandbox is removed
/// whatever happens. A check that cannot run because an earlier one failed is reported as
/// failed, with a message saying so, so that every backup gets one result per check.
/// </summary>
public static class BackupTester
{
    public static async Task<IReadOnlyList<OmegaBackupTestResult>> TestAsync(OmegaBackup backup, SandboxRequest sandboxRequest, string? postgresBin,
        IProgress<string> progress, CancellationToken cancellationToken)
    {
        var results = new List<OmegaBackupTestResult>();
        progress.Report($"checking the SHA-256 of {backup.Path}");
        var (matches, actual, problem) = await BackupRestorer.CheckChecksumAsync(backup, cancellationToken).ConfigureAwait(false);
        results.Add(Result(backup, BackupCheck.Checksum, matches, backup.Sha256, actual, problem));
        if (!matches)
        {
            return NotRun(backup, results, "the dump does not match its manifest's checksum");
        }

        progress.Report("creating a sandbox to restore into");
        var sandbox = await SandboxManager.CreateAsync(sandboxRequest, progress, cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                if (backup.Format == BackupFormat.Plain && sandbox.Engine != SandboxEngine.Server)
                {
                    await CreateMissingRolesAsync(sandbox, backup.Roles, progress, cancellationToken).ConfigureAwait(false);
                }

                await BackupRestorer.RestoreAsync(backup, sandbox, new RestoreOptions { NoPrivileges = true, PostgresBin = postgresBin }, progress, cancellationToken).ConfigureAwait(false);
                results.Add(Result(backup, BackupCheck.Restore, true, "restores without error", "restored", null));
            }
            catch (OmegaException ex) when (ex.ErrorId is BackupRestorer.RestoreFailedErrorId or BackupRestorer.ExtensionNotAvailableErrorId)
            {
                results.Add(Result(backup, BackupCheck.Restore, false, "restores without error", "failed", SecretScrubber.Scrub(ex.Message)));
                return NotRun(backup, results, "the dump did not restore");
            }

            progress.Report("reading the restored schema and counting rows");
            var schema = await SchemaReader.ReadAsync(sandbox, SchemaReadOptions.Default, cancellationToken).ConfigureAwait(false);
            var fingerprintMatches = schema.Fingerprint == backup.SchemaFingerprint;
            results.Add(Result(backup, BackupCheck.SchemaFingerprint, fingerprintMatches, backup.SchemaFingerprint, schema.Fingerprint,
                fingerprintMatches ? null : $"The restored schema differs from the one dumped ({schema.Tables.Count} tables restored). Compare them with Get-OmegaSchema and Compare-OmegaSchema on a restored copy."));

            IReadOnlyDictionary<string, long> restored;
            await using (var connection = await DatabaseConnector.OpenAsync(sandbox, cancellationToken, pooling: false).ConfigureAwait(false))
            {
                restored = await RowCounter.CountAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            results.Add(CompareRowCounts(backup, restored));
            return results;
        }
        finally
        {
            progress.Report("removing the sandbox");
            await SandboxManager.RemoveAsync(sandbox, force: true, server: sandboxRequest.Server, new Progress<string>(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A Plain dump is replayed as written, owners and grants included, so the roles it names
    /// must exist. In a cluster of its own (Local, Docker) the test creates them, without login;
    /// on a shared server (the Server engine) it never creates roles.
    /// </summary>
    private static async Task CreateMissingRolesAsync(OmegaSandbox sandbox, IReadOnlyList<string> roles, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (roles.Count == 0)
        {
            return;
        }

        await using var connection = await DatabaseConnector.OpenAsync(sandbox, cancellationToken, pooling: false).ConfigureAwait(false);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await using (var list = new Npgsql.NpgsqlCommand("SELECT rolname FROM pg_catalog.pg_roles", connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                existing.Add(reader.GetString(0));
            }
        }

        foreach (var role in roles.Where(r => !existing.Contains(r)))
        {
            progress.Report($"creating role {role} in the sandbox for the Plain dump's owners and grants");
            await using var create = new Npgsql.NpgsqlCommand($"CREATE ROLE \"{role.Replace("\"", "\"\"", StringComparison.Ordinal)}\" NOLOGIN", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Every table's rows against the manifest's; a schema-only backup expects every table empty.
    /// The message names the tables that differ, the first ten of them.
    /// </summary>
    public static OmegaBackupTestResult CompareRowCounts(OmegaBackup backup, IReadOnlyDictionary<string, long> restored)
    {
        var expected = backup.SchemaOnly ? restored.ToDictionary(r => r.Key, _ => 0L, StringComparer.Ordinal) : backup.RowCounts;
        var differences = new List<string>();
        foreach (var table in expected.Keys.Union(restored.Keys).Order(StringComparer.Ordinal))
        {
            var want = expected.TryGetValue(table, out var w) ? w : (long?)null;
            var got = restored.TryGetValue(table, out var g) ? g : (long?)null;
            if (want != got)
            {
                differences.Add($"{table}: {Describe(want, "not in the manifest")} expected, {Describe(got, "missing")} restored");
            }
        }

        var message = differences.Count == 0 ? null
            : $"{differences.Count} table(s) differ: {string.Join("; ", differences.Take(10))}{(differences.Count > 10 ? "; ..." : string.Empty)}";
        return Result(backup, BackupCheck.RowCounts, differences.Count == 0, Summary(expected), Summary(restored), message);
    }

    private static string Describe(long? rows, string absent) => rows is { } r ? r.ToString(CultureInfo.InvariantCulture) + " rows" : absent;

    private static string Summary(IReadOnlyDictionary<string, long> counts) =>
        $"{counts.Count} tables, {counts.Values.Sum().ToString(CultureInfo.InvariantCulture)} rows";

    private static List<OmegaBackupTestResult> NotRun(OmegaBackup backup, List<OmegaBackupTestResult> results, string because)
    {
        foreach (var check in Enum.GetValues<BackupCheck>().Where(c => results.All(r => r.Check != c)))
        {
            results.Add(Result(backup, check, false, null, null, $"Not run: {because}."));
        }

        return results;
    }

    private static OmegaBackupTestResult Result(OmegaBackup backup, BackupCheck check, bool passed, string? expected, string? actual, string? message) =>
        new() { Backup = backup, Check = check, Passed = passed, Expected = expected, Actual = actual, Message = message };
}
