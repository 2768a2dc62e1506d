using System.Text;
using System.Text.Json;

namespace OmegaDb.Rehearsals;

/// <summary>
/// The rehearsal records, a JSON file (by default .omega/rehearsals.json beside the migrations
/// folder). Writers take an exclusive lock file, so concurrent runs never lose each other's
/// records, and replace the file by renaming, so a reader never sees half of one.
/// </summary>
public sealed class RehearsalLog(string path)
{
    public const string DefaultFolder = ".omega";
    public const string DefaultFileName = "rehearsals.json";
    private const int Kept = 500;
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The default log for a migrations folder: <c>&lt;folder&gt;/.omega/rehearsals.json</c>.</summary>
    public static RehearsalLog For(string migrationsPath, string? overridePath = null) =>
        new(overridePath ?? System.IO.Path.Combine(migrationsPath, DefaultFolder, DefaultFileName));

    public IReadOnlyList<Rehearsal> Read()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<RehearsalFile>(File.ReadAllText(Path), Options)?.Rehearsals ?? [];
        }
        catch (JsonException ex)
        {
            throw new OmegaException("OmegaDb.InvalidRehearsalLog", OmegaErrorCategory.InvalidData,
                $"The rehearsal log {Path} is not valid JSON ({ex.Message}). Move it aside; the next rehearsal writes a new one.", Path);
        }
    }

    public async Task AppendAsync(Rehearsal rehearsal, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        await using var gate = await LockAsync(cancellationToken).ConfigureAwait(false);
        var all = Read().Append(rehearsal).TakeLast(Kept).ToList();
        var temporary = Path + $".{Guid.NewGuid():n}.tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(new RehearsalFile { Rehearsals = all }, Options) + "\n",
                new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// A rehearsal that proves this run: it started from the same schema, verified, and ran these
    /// migrations with these checksums first (it may have run more after them).
    /// </summary>
    public Rehearsal? FindMatch(string fingerprintNow, IReadOnlyList<RehearsedMigration> planned) =>
        Read().Where(r => r.VerifyPassed && r.FingerprintBefore == fingerprintNow && r.Migrations.Count >= planned.Count &&
                          r.Migrations.Take(planned.Count).Zip(planned).All(p => p.First.Version == p.Second.Version && p.First.Checksum == p.Second.Checksum))
            .OrderByDescending(r => r.RecordedAt)
            .FirstOrDefault();

    // The lock file stays: deleting it on close would let two writers lock two different files.
    private async Task<FileStream> LockAsync(CancellationToken cancellationToken)
    {
        var lockPath = Path + ".lock";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 300)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class RehearsalFile
    {
        public int FormatVersion { get; init; } = 1;

        public List<Rehearsal> Rehearsals { get; init; } = [];
    }
}
