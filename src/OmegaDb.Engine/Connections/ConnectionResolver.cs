using System.Collections.Immutable;

namespace OmegaDb.Connections;

/// <summary>
/// Completes a connection the way libpq does: the given string, else <c>DATABASE_URL</c>;
/// then the <c>PG*</c> variables for whatever is still missing; then a credential; then the
/// password file; then the built-in defaults.
/// </summary>
public sealed class ConnectionResolver
{
    private static readonly (string Variable, string Parameter)[] EnvironmentParameters =
    [
        ("PGSSLMODE", "sslmode"), ("PGAPPNAME", "application_name"), ("PGCONNECT_TIMEOUT", "connect_timeout"),
        ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"), ("PGSSLKEY", "sslkey"),
        ("PGOPTIONS", "options"), ("PGTARGETSESSIONATTRS", "target_session_attrs"),
        ("PGCLIENTENCODING", "client_encoding"), ("PGCHANNELBINDING", "channel_binding"),
        ("PGGSSENCMODE", "gssencmode"), ("PGPASSFILE", "passfile"),
    ];

    private readonly Func<string, string?> _getEnv;

    public ConnectionResolver(Func<string, string?>? getEnv = null)
    {
        _getEnv = getEnv ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Where the connection came from, for verbose output.</summary>
    public string LastSource { get; private set; } = string.Empty;

    public ConnectionSettings Resolve(string? connectionString, string? user = null, string? password = null)
    {
        ConnectionSettings settings;
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            settings = ConnectionStringParser.Parse(connectionString);
            LastSource = "the given connection string";
        }
        else if (Env("DATABASE_URL") is { } url)
        {
            settings = ConnectionStringParser.Parse(url);
            LastSource = "DATABASE_URL";
        }
        else
        {
            settings = new ConnectionSettings { Hosts = [] };
            LastSource = "the PG* environment variables and defaults";
        }

        settings = ApplyEnvironment(settings);
        if (user is not null)
        {
            settings = settings with { User = user };
        }

        if (password is not null)
        {
            settings = settings with { Password = password };
        }

        settings = ApplyDefaults(settings);
        if (settings.Password is null)
        {
            var passfile = settings.GetParameter("passfile") ?? PgPassFile.DefaultPath(_getEnv);
            var first = settings.Hosts[0];
            settings = settings with { Password = PgPassFile.Lookup(passfile, first.Host, first.Port ?? 5432, settings.Database!, settings.User!) };
        }

        SecretScrubber.Remember(settings.Password);
        SecretScrubber.Remember(settings.GetParameter("sslpassword"));
        return settings;
    }

    private ConnectionSettings ApplyEnvironment(ConnectionSettings settings)
    {
        // A string that names only a port (postgresql://:5433/db) still takes PGHOST.
        if (settings.Hosts.All(h => h.Host.Length == 0) && Env("PGHOST") is { } host)
        {
            settings = ConnectionStringParser.ApplyParameter(settings, "host", host, ConnectionStringParser.InvalidParameterErrorId);
        }

        if (settings.Hosts.All(h => h.Port is null) && Env("PGPORT") is { } port)
        {
            settings = ConnectionStringParser.ApplyParameter(settings, "port", port, ConnectionStringParser.InvalidParameterErrorId);
        }

        settings = settings with
        {
            Database = settings.Database ?? Env("PGDATABASE"),
            User = settings.User ?? Env("PGUSER"),
            Password = settings.Password ?? Env("PGPASSWORD"),
        };

        foreach (var (variable, parameter) in EnvironmentParameters)
        {
            if (settings.GetParameter(parameter) is null && Env(variable) is { } value)
            {
                settings = ConnectionStringParser.ApplyParameter(settings, parameter, value, ConnectionStringParser.InvalidParameterErrorId);
            }
        }

        return settings;
    }

    private static ConnectionSettings ApplyDefaults(ConnectionSettings settings)
    {
        var hosts = settings.Hosts.IsEmpty ? [new HostEndpoint(string.Empty, null)] : settings.Hosts;
        hosts = hosts.Select(h => new HostEndpoint(h.Host.Length == 0 ? DefaultHost() : h.Host, h.Port ?? 5432)).ToImmutableArray();
        var user = settings.User ?? Environment.UserName;
        return settings with { Hosts = hosts, User = user, Database = settings.Database ?? user };
    }

    /// <summary>libpq's default: the local socket directory where one exists, else localhost.</summary>
    private static string DefaultHost()
    {
        foreach (var dir in new[] { "/var/run/postgresql", "/tmp" })
        {
            if (!OperatingSystem.IsWindows() && Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir, ".s.PGSQL.*").Any())
            {
                return dir;
            }
        }

        return "localhost";
    }

    private string? Env(string name) => _getEnv(name) is { Length: > 0 } value ? value : null;
}
