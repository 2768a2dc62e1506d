using OmegaDb.Connections;

namespace OmegaDb.ClientTools;

/// <summary>
/// How a child libpq program (pg_dump, pg_restore, psql) reaches a database without a password
/// on its command line: host, port, user and database in PG* variables, the password in a
/// temporary pgpass file only its owner can read, deleted when this is disposed (on every path,
/// so callers hold it in <c>await using</c>).
/// </summary>
public sealed class LibpqEnvironment : IAsyncDisposable, IDisposable
{
    private readonly string? _passFile;

    private LibpqEnvironment(IReadOnlyDictionary<string, string> variables, string? passFile)
    {
        Variables = variables;
        _passFile = passFile;
    }

    /// <summary>The variables to hand to <see cref="Processes.ProcessRunner"/>.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    public static LibpqEnvironment For(OmegaDatabase database) => For(database.Settings);

    public static LibpqEnvironment For(ConnectionSettings settings)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGHOST"] = string.Join(",", settings.Hosts.Select(h => h.Host)),
            ["PGPORT"] = string.Join(",", settings.Hosts.Select(h => (h.Port ?? 5432).ToString(System.Globalization.CultureInfo.InvariantCulture))),
            ["PGDATABASE"] = settings.Database ?? string.Empty,
            ["PGUSER"] = settings.User ?? string.Empty,
            ["PGAPPNAME"] = "OmegaDb",
            ["PGCONNECT_TIMEOUT"] = "15",
        };
        foreach (var (name, variable) in ParameterVariables)
        {
            if (settings.GetParameter(name) is { } value)
            {
                variables[variable] = value;
            }
        }

        string? passFile = null;
        if (settings.Password is { } password)
        {
            passFile = Path.Combine(Path.GetTempPath(), $"omegadb-{Guid.NewGuid():N}.pgpass");
            // Created empty with owner-only permissions before the secret is written into it.
            using (File.Create(passFile))
            {
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(passFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(passFile, $"*:*:*:*:{Escape(password)}\n");
            variables["PGPASSFILE"] = passFile;
        }
        else if (settings.GetParameter("passfile") is { } userPassFile)
        {
            variables["PGPASSFILE"] = userPassFile;
        }

        return new LibpqEnvironment(variables, passFile);
    }

    // pgpass fields escape backslash and colon with a backslash.
    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);

    private static readonly (string Name, string Variable)[] ParameterVariables =
    [
        ("sslmode", "PGSSLMODE"), ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"), ("sslrootcert", "PGSSLROOTCERT"),
        ("channel_binding", "PGCHANNELBINDING"), ("gssencmode", "PGGSSENCMODE"), ("krbsrvname", "PGKRBSRVNAME"),
        ("target_session_attrs", "PGTARGETSESSIONATTRS"), ("options", "PGOPTIONS"), ("client_encoding", "PGCLIENTENCODING"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ];

    public void Dispose()
    {
        if (_passFile is not null)
        {
            try { File.Delete(_passFile); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
