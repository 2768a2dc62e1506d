using System.Globalization;
using System.Text;
using OmegaDb.Connections;

namespace OmegaDb;

/// <summary>
/// A PostgreSQL database the module can talk to. Its public surface never holds the password:
/// <see cref="ToString"/> is a redacted URI, and <see cref="GetConnectionUri"/> is the one,
/// explicit way to get the full URI out.
/// </summary>
public class OmegaDatabase
{
    public const string ProductionEnvironment = "Production";

    internal OmegaDatabase(ConnectionSettings settings, string? name = null, string? environment = null)
    {
        Settings = settings;
        Environment = string.IsNullOrWhiteSpace(environment) ? null : environment;
        Name = string.IsNullOrWhiteSpace(name) ? DefaultName(settings) : name;
    }

    public string Name { get; }

    /// <summary>The host, or the comma-separated hosts of a multi-host connection.</summary>
    public string Host => string.Join(",", Settings.Hosts.Select(h => h.Host));

    public int Port => Settings.Hosts[0].Port ?? 5432;

    public string Database => Settings.Database!;

    public string User => Settings.User!;

    /// <summary>Free text; <c>Production</c> turns on the safety rules for production databases.</summary>
    public string? Environment { get; }

    /// <summary>Filled when the module first connects.</summary>
    public string? ServerVersion { get; internal set; }

    public bool IsProduction => string.Equals(Environment, ProductionEnvironment, StringComparison.OrdinalIgnoreCase);

    internal ConnectionSettings Settings { get; }

    /// <summary>The full URI, password included: for handing the database to an application.</summary>
    public string GetConnectionUri() => BuildUri(redact: false);

    /// <summary>The URI with the password replaced, safe to print.</summary>
    public override string ToString() => BuildUri(redact: true);

    /// <summary>The same server and credentials, another database.</summary>
    internal ConnectionSettings SettingsFor(string database) => Settings with { Database = database };

    private string BuildUri(bool redact)
    {
        var uri = new StringBuilder("postgresql://");
        uri.Append(Encode(User));
        if (Settings.Password is not null)
        {
            uri.Append(':').Append(redact ? "****" : Encode(Settings.Password));
        }

        uri.Append('@');
        uri.Append(string.Join(",", Settings.Hosts.Select(h =>
            (h.Host.Contains(':') ? $"[{h.Host.Replace("%", "%25", StringComparison.Ordinal)}]" : Encode(h.Host)) + (h.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : string.Empty))));
        uri.Append('/').Append(Encode(Database));
        var query = Settings.Parameters
            .Select(p => $"{Encode(p.Key)}={(redact && p.Key == "sslpassword" ? "****" : Encode(p.Value))}")
            .ToArray();
        if (query.Length > 0)
        {
            uri.Append('?').Append(string.Join("&", query));
        }

        return uri.ToString();
    }

    private static string Encode(string value) => Uri.EscapeDataString(value);

    private static string DefaultName(ConnectionSettings settings)
    {
        var host = settings.Hosts[0];
        var where = host.IsUnixSocket ? "local" : host.Host;
        return host.Port is null or 5432 ? $"{settings.Database}@{where}" : $"{settings.Database}@{where}:{host.Port}";
    }
}
