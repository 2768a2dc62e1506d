using Npgsql;

namespace OmegaDb;

/// <summary>
/// Turns a failure the engine did not anticipate into an <see cref="OmegaException"/>, so
/// that every error a user sees has a stable id, a category and a scrubbed message, and no
/// .NET stack trace.
/// </summary>
public static class ErrorTranslation
{
    public const string DatabaseErrorId = "OmegaDb.DatabaseError";
    public const string FileSystemErrorId = "OmegaDb.FileSystemError";
    public const string UnexpectedErrorId = "OmegaDb.UnexpectedError";

    public static OmegaException ToOmegaException(Exception ex, object? target = null) => ex switch
    {
        OmegaException omega => omega,
        PostgresException pg => new OmegaException(DatabaseErrorId, pg.SqlState switch
            {
                "42501" => OmegaErrorCategory.PermissionDenied,
                "55006" or "55P03" or "53300" => OmegaErrorCategory.ResourceBusy,
                _ => OmegaErrorCategory.InvalidOperation,
            },
            SecretScrubber.Scrub($"The server reported {pg.SqlState}: {pg.MessageText}{(pg.Hint is { } hint ? $" Hint: {hint}" : string.Empty)}"), target, pg),
        NpgsqlException npgsql => new OmegaException(DatabaseErrorId, OmegaErrorCategory.ConnectionError,
            SecretScrubber.Scrub($"The database connection failed: {npgsql.Message}"), target, npgsql),
        UnauthorizedAccessException access => new OmegaException(FileSystemErrorId, OmegaErrorCategory.PermissionDenied,
            SecretScrubber.Scrub($"Permission denied: {access.Message} Check the owner and mode of the path, or set OMEGADB_SANDBOX_ROOT to a directory you own."), target, access),
        IOException io => new OmegaException(FileSystemErrorId, OmegaErrorCategory.DeviceError,
            SecretScrubber.Scrub($"A file operation failed: {io.Message}"), target, io),
        _ => new OmegaException(UnexpectedErrorId, OmegaErrorCategory.NotSpecified,
            SecretScrubber.Scrub($"OmegaDb hit an unexpected {ex.GetType().Name}: {ex.Message} Please report this with the command you ran."), target, ex),
    };
}
