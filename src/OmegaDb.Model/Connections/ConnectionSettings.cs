using System.Collections.Immutable;

namespace OmegaDb.Connections;

/// <summary>One host of a (possibly multi-host) connection.</summary>
public sealed record HostEndpoint(string Host, int? Port)
{
    public bool IsUnixSocket => Host.StartsWith('/');
}

/// <summary>
/// A fully parsed connection in libpq terms: endpoints, database, user, password and the
/// remaining libpq parameters by their libpq names. Immutable, so an OmegaDatabase can hand
/// out variations (another database on the same server) without sharing state.
/// </summary>
public sealed record ConnectionSettings
{
    public required ImmutableArray<HostEndpoint> Hosts { get; init; }

    public string? Database { get; init; }

    public string? User { get; init; }

    /// <summary>Never printed; see <see cref="SecretScrubber"/>.</summary>
    public string? Password { get; init; }

    /// <summary>libpq parameters other than host, port, dbname, user and password.</summary>
    public ImmutableSortedDictionary<string, string> Parameters { get; init; } =
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal);

    public string? GetParameter(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    public ConnectionSettings WithParameter(string name, string? value) =>
        this with { Parameters = value is null ? Parameters.Remove(name) : Parameters.SetItem(name, value) };
}
