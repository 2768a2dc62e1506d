using System.Text.Json.Serialization;

namespace OmegaDb;

/// <summary>
/// A snapshot of a database's schema: what <c>Get-OmegaSchema</c> reads, what migrations
/// report before and after, and what <c>Export-OmegaSchema</c> writes. Every list is sorted,
/// so two snapshots of the same schema are equal item by item, and <see cref="Fingerprint"/>
/// hashes only the semantic part (no OIDs, sizes, server version or capture time).
/// </summary>
public sealed class OmegaSchema
{
    /// <summary>The database it was read from; null for a schema imported from a file.</summary>
    [JsonIgnore]
    public OmegaDatabase? Database { get; private set; }

    /// <summary>The database's name (kept when exported and imported).</summary>
    public string? DatabaseName { get; init; }

    public DateTimeOffset CapturedAt { get; init; }

    public string? ServerVersion { get; init; }

    /// <summary>SHA-256 (hex) of the semantic content; equal schemas have equal fingerprints.</summary>
    public string Fingerprint { get; private set; } = string.Empty;

    /// <summary>The -Schema and -Table filters it was captured with, when any.</summary>
    public IReadOnlyList<string> SchemaFilter { get; init; } = [];

    public IReadOnlyList<string> TableFilter { get; init; } = [];

    /// <summary>The namespaces (CREATE SCHEMA) that were captured.</summary>
    public IReadOnlyList<string> Schemas { get; init; } = [];

    public IReadOnlyList<OmegaTable> Tables { get; init; } = [];

    public IReadOnlyList<OmegaView> Views { get; init; } = [];

    public IReadOnlyList<OmegaSequence> Sequences { get; init; } = [];

    public IReadOnlyList<OmegaType> Types { get; init; } = [];

    public IReadOnlyList<OmegaFunction> Functions { get; init; } = [];

    public IReadOnlyList<OmegaExtension> Extensions { get; init; } = [];

    /// <summary>The table with this name: <c>schema.table</c>, or a bare name found in any schema.</summary>
    public OmegaTable? GetTable(string name) => SchemaNames.Find(Tables, name, t => t.Schema, t => t.Name);

    /// <summary>The same snapshot with another fingerprint: set once, by whoever computed it.</summary>
    internal OmegaSchema WithFingerprint(string fingerprint)
    {
        var copy = (OmegaSchema)MemberwiseClone();
        copy.Fingerprint = fingerprint;
        return copy;
    }

    /// <summary>The same snapshot, tied to the database it describes.</summary>
    internal OmegaSchema WithDatabase(OmegaDatabase? database)
    {
        var copy = (OmegaSchema)MemberwiseClone();
        copy.Database = database;
        return copy;
    }

    public override string ToString() =>
        $"{DatabaseName ?? "schema"} ({Tables.Count} tables, {Fingerprint[..Math.Min(12, Fingerprint.Length)]})";
}
