using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OmegaDb.Schema;

/// <summary>
/// The file format of Export-OmegaSchema and the canonical text the fingerprint hashes.
/// Deterministic: properties in declaration order, lists already sorted by the reader, "\n"
/// line endings, no nulls or empty lists, so a committed file diffs line by line.
/// </summary>
public static class SchemaJson
{
    public const int FormatVersion = 1;
    public const string InvalidSchemaFileErrorId = "OmegaDb.InvalidSchemaFile";

    private static readonly JsonSerializerOptions Indented = CreateOptions(indented: true);
    private static readonly JsonSerializerOptions Compact = CreateOptions(indented: false);

    public static string Serialize(OmegaSchema schema)
    {
        var json = JsonSerializer.Serialize(SchemaDocument.From(schema), Indented);
        return json.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>Reads a file written by <see cref="Serialize"/>; the fingerprint is computed again from the content.</summary>
    public static OmegaSchema Deserialize(string json, string source)
    {
        SchemaDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<SchemaDocument>(json, Indented);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}" : string.Empty;
            throw new OmegaException(InvalidSchemaFileErrorId, OmegaErrorCategory.InvalidData,
                $"'{source}' is not a schema file written by Export-OmegaSchema: invalid JSON{where}.", source);
        }

        if (document is null || document.FormatVersion is null)
        {
            throw new OmegaException(InvalidSchemaFileErrorId, OmegaErrorCategory.InvalidData,
                $"'{source}' is not a schema file written by Export-OmegaSchema: it has no FormatVersion.", source);
        }

        if (document.FormatVersion > FormatVersion)
        {
            throw new OmegaException(InvalidSchemaFileErrorId, OmegaErrorCategory.InvalidData,
                $"'{source}' has schema format version {document.FormatVersion}; this OmegaDb reads version {FormatVersion}. Update OmegaDb.", source);
        }

        var schema = document.ToSchema();
        return schema.WithFingerprint(SchemaFingerprint.Compute(schema));
    }

    /// <summary>The fingerprint a file says it has; differs from the computed one when the file was edited by hand.</summary>
    public static string? StoredFingerprint(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("Fingerprint", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the canonical form the fingerprint hashes: only what describes the schema itself,
    /// as UTF-8. Streamed, because on a large schema it is megabytes: a string or an array
    /// of it costs as much as the serialization, and lands on the large object heap.
    /// </summary>
    /// <remarks>
    /// Each object's JSON is kept beside the object (the model is immutable), so a snapshot
    /// that reuses most objects of an earlier one, as a migration's incremental read does,
    /// serializes only what is new. The bytes are exactly those of serializing
    /// <see cref="SchemaContent"/> in one go, which <see cref="WriteCanonicalContentUncached"/>
    /// does and a test compares.
    /// </remarks>
    internal static void WriteCanonicalContent(OmegaSchema schema, Stream destination)
    {
        using var writer = new Utf8JsonWriter(destination, new JsonWriterOptions { Encoder = Compact.Encoder, SkipValidation = true });
        writer.WriteStartObject();
        if (schema.Schemas.Count > 0)
        {
            writer.WritePropertyName(nameof(SchemaContent.Schemas));
            JsonSerializer.Serialize(writer, schema.Schemas, Compact);
        }

        WriteCached(writer, nameof(SchemaContent.Tables), schema.Tables);
        WriteCached(writer, nameof(SchemaContent.Views), schema.Views);
        WriteCached(writer, nameof(SchemaContent.Sequences), schema.Sequences);
        WriteCached(writer, nameof(SchemaContent.Types), schema.Types);
        WriteCached(writer, nameof(SchemaContent.Functions), schema.Functions);
        WriteCached(writer, nameof(SchemaContent.Extensions), schema.Extensions);
        writer.WriteEndObject();
    }

    /// <summary>The canonical content serialized in one go, without the per-object cache: what the cached form must equal.</summary>
    internal static void WriteCanonicalContentUncached(OmegaSchema schema, Stream destination) =>
        JsonSerializer.Serialize(destination, SchemaContent.From(schema), Compact);

    private static readonly ConditionalWeakTable<object, byte[]> CanonicalBytes = new();

    private static void WriteCached<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T> items)
        where T : class
    {
        if (items.Count == 0)
        {
            return;
        }

        writer.WritePropertyName(name);
        writer.WriteStartArray();
        foreach (var item in items)
        {
            var json = CanonicalBytes.GetValue(item, static o => JsonSerializer.SerializeToUtf8Bytes(o, o.GetType(), Compact));
            writer.WriteRawValue(json, skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    private static JsonSerializerOptions CreateOptions(bool indented) => new()
    {
        WriteIndented = indented,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        IgnoreReadOnlyProperties = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SkipEmptyLists } },
    };

    private static void SkipEmptyLists(JsonTypeInfo type)
    {
        foreach (var property in type.Properties)
        {
            if (typeof(ICollection).IsAssignableFrom(property.PropertyType) || property.PropertyType.IsGenericType &&
                property.PropertyType.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                property.ShouldSerialize = (_, value) => value is not ICollection { Count: 0 };
            }
        }
    }

    /// <summary>The semantic part of a schema, in the order it is hashed.</summary>
    private sealed class SchemaContent
    {
        public IReadOnlyList<string> Schemas { get; init; } = [];

        public IReadOnlyList<OmegaTable> Tables { get; init; } = [];

        public IReadOnlyList<OmegaView> Views { get; init; } = [];

        public IReadOnlyList<OmegaSequence> Sequences { get; init; } = [];

        public IReadOnlyList<OmegaType> Types { get; init; } = [];

        public IReadOnlyList<OmegaFunction> Functions { get; init; } = [];

        public IReadOnlyList<OmegaExtension> Extensions { get; init; } = [];

        public static SchemaContent From(OmegaSchema s) => new()
        {
            Schemas = s.Schemas, Tables = s.Tables, Views = s.Views, Sequences = s.Sequences,
            Types = s.Types, Functions = s.Functions, Extensions = s.Extensions,
        };
    }

    /// <summary>The file: a header, then the content.</summary>
    private sealed class SchemaDocument
    {
        public int? FormatVersion { get; init; }

        public string? DatabaseName { get; init; }

        public DateTimeOffset CapturedAt { get; init; }

        public string? ServerVersion { get; init; }

        public string? Fingerprint { get; init; }

        public IReadOnlyList<string>? SchemaFilter { get; init; }

        public IReadOnlyList<string>? TableFilter { get; init; }

        public IReadOnlyList<string>? Schemas { get; init; }

        public IReadOnlyList<OmegaTable>? Tables { get; init; }

        public IReadOnlyList<OmegaView>? Views { get; init; }

        public IReadOnlyList<OmegaSequence>? Sequences { get; init; }

        public IReadOnlyList<OmegaType>? Types { get; init; }

        public IReadOnlyList<OmegaFunction>? Functions { get; init; }

        public IReadOnlyList<OmegaExtension>? Extensions { get; init; }

        public static SchemaDocument From(OmegaSchema s) => new()
        {
            FormatVersion = SchemaJson.FormatVersion, DatabaseName = s.DatabaseName, CapturedAt = s.CapturedAt,
            ServerVersion = s.ServerVersion, Fingerprint = s.Fingerprint, SchemaFilter = s.SchemaFilter,
            TableFilter = s.TableFilter, Schemas = s.Schemas, Tables = s.Tables, Views = s.Views,
            Sequences = s.Sequences, Types = s.Types, Functions = s.Functions, Extensions = s.Extensions,
        };

        public OmegaSchema ToSchema() => new()
        {
            DatabaseName = DatabaseName, CapturedAt = CapturedAt, ServerVersion = ServerVersion,
            SchemaFilter = SchemaFilter ?? [], TableFilter = TableFilter ?? [], Schemas = Schemas ?? [],
            Tables = Tables ?? [], Views = Views ?? [], Sequences = Sequences ?? [], Types = Types ?? [],
            Functions = Functions ?? [], Extensions = Extensions ?? [],
        };
    }
}
