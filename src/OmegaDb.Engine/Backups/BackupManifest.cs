using System.Globalization;
using System.Text.Json;

namespace OmegaDb.Backups;

/// <summary>
/// The <c>.omega.json</c> manifest beside a dump. It names the dump by file name only, so a
/// backup moved or copied together with its manifest still reads; it never holds a password
/// (the source is the redacted URI).
/// </summary>
public static class BackupManifest
{
    public const string InvalidErrorId = "OmegaDb.BackupManifestInvalid";
    public const string NotFoundErrorId = "OmegaDb.BackupManifestNotFound";
    public const string Kind = "omegadb-backup";
    public const int FormatVersion = 1;

    public static byte[] Serialize(OmegaBackup backup)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteNumber("formatVersion", FormatVersion);
            json.WriteString("database", backup.Database);
            json.WriteString("host", backup.Host);
            json.WriteNumber("port", backup.Port);
            json.WriteString("source", SecretScrubber.Scrub(backup.Source));
            json.WriteString("file", Path.GetFileName(backup.Path));
            json.WriteString("format", backup.Format.ToString());
            json.WriteBoolean("schemaOnly", backup.SchemaOnly);
            json.WriteNumber("sizeBytes", backup.SizeBytes);
            json.WriteString("sha256", backup.Sha256);
            json.WriteString("createdAt", backup.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("durationMs", Math.Round(backup.Duration.TotalMilliseconds));
            json.WriteString("serverVersion", backup.ServerVersion);
            json.WriteString("pgDumpVersion", backup.PgDumpVersion);
            json.WriteString("schemaFingerprint", backup.SchemaFingerprint);
            json.WriteStartObject("rowCounts");
            foreach (var (table, rows) in backup.RowCounts.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(table, rows);
            }

            json.WriteEndObject();
            json.WriteStartArray("roles");
            foreach (var role in backup.Roles.Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(role);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static void Write(OmegaBackup backup, string path) => File.WriteAllBytes(path, Serialize(backup));

    /// <summary>Reads a manifest; the dump is expected beside it under the name it records.</summary>
    public static OmegaBackup Read(string manifestPath)
    {
        manifestPath = Path.GetFullPath(manifestPath);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(manifestPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new OmegaException(NotFoundErrorId, OmegaErrorCategory.ObjectNotFound,
                $"The backup manifest '{manifestPath}' does not exist. Pass a manifest (*{BackupTarget.ManifestSuffix}), a dump that has one beside it, or a directory of backups.", manifestPath, ex);
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.GetString() != Kind)
            {
                throw Invalid(manifestPath, $"it is not an OmegaDb backup manifest (no \"kind\": \"{Kind}\")");
            }

            var version = Int(root, "formatVersion", manifestPath);
            if (version > FormatVersion)
            {
                throw Invalid(manifestPath, $"it has format version {version}, newer than this module reads ({FormatVersion}); update OmegaDb");
            }

            var file = Text(root, "file", manifestPath);
            if (file.Length == 0 || file != Path.GetFileName(file))
            {
                throw Invalid(manifestPath, "\"file\" must be the dump's file name, without a directory");
            }

            var formatText = Text(root, "format", manifestPath);
            if (!Enum.TryParse<BackupFormat>(formatText, ignoreCase: false, out var format) || !Enum.IsDefined(format))
            {
                throw Invalid(manifestPath, $"\"format\" is '{formatText}', not one of {string.Join(", ", Enum.GetNames<BackupFormat>())}");
            }

            var sha = Text(root, "sha256", manifestPath);
            if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
            {
                throw Invalid(manifestPath, "\"sha256\" is not a SHA-256 in hex");
            }

            var createdText = Text(root, "createdAt", manifestPath);
            if (!DateTimeOffset.TryParse(createdText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt))
            {
                throw Invalid(manifestPath, $"\"createdAt\" '{createdText}' is not a date and time");
            }

            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            if (root.TryGetProperty("rowCounts", out var rowCounts))
            {
                if (rowCounts.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(manifestPath, "\"rowCounts\" must be an object of table names and numbers");
                }

                foreach (var table in rowCounts.EnumerateObject())
                {
                    counts[table.Name] = table.Value.ValueKind == JsonValueKind.Number && table.Value.TryGetInt64(out var rows) && rows >= 0
                        ? rows
                        : throw Invalid(manifestPath, $"the row count of '{table.Name}' is not a whole number");
                }
            }

            var roles = new List<string>();
            if (root.TryGetProperty("roles", out var roleList))
            {
                roles = roleList.ValueKind == JsonValueKind.Array && roleList.EnumerateArray().All(r => r.ValueKind == JsonValueKind.String)
                    ? roleList.EnumerateArray().Select(r => r.GetString()!).ToList()
                    : throw Invalid(manifestPath, "\"roles\" must be a list of role names");
            }

            return new OmegaBackup
            {
                Database = Text(root, "database", manifestPath),
                Host = Text(root, "host", manifestPath),
                Port = Int(root, "port", manifestPath),
                Source = Text(root, "source", manifestPath),
                Path = Path.Combine(Path.GetDirectoryName(manifestPath)!, file),
                ManifestPath = manifestPath,
                Format = format,
                SchemaOnly = Bool(root, "schemaOnly", manifestPath),
                SizeBytes = Long(root, "sizeBytes", manifestPath),
                Sha256 = sha.ToLowerInvariant(),
                CreatedAt = createdAt,
                Duration = TimeSpan.FromMilliseconds(Long(root, "durationMs", manifestPath)),
                ServerVersion = Text(root, "serverVersion", manifestPath),
                PgDumpVersion = Text(root, "pgDumpVersion", manifestPath),
                SchemaFingerprint = Text(root, "schemaFingerprint", manifestPath),
                RowCounts = counts,
                Roles = roles,
            };
        }
        catch (JsonException ex)
        {
            throw Invalid(manifestPath, $"it is not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>The manifest of a dump, or the path itself when it already is one.</summary>
    public static string ManifestFor(string path) =>
        path.EndsWith(BackupTarget.ManifestSuffix, StringComparison.OrdinalIgnoreCase) ? path : path.TrimEnd('/', '\\') + BackupTarget.ManifestSuffix;

    private static string Text(JsonElement root, string name, string path) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Invalid(path, $"\"{name}\" is missing or not a string");

    private static long Long(JsonElement root, string name, string path) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0
            ? number
            : throw Invalid(path, $"\"{name}\" is missing or not a whole number");

    private static int Int(JsonElement root, string name, string path)
    {
        var value = Long(root, name, path);
        return value <= int.MaxValue ? (int)value : throw Invalid(path, $"\"{name}\" is out of range");
    }

    private static bool Bool(JsonElement root, string name, string path) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw Invalid(path, $"\"{name}\" is missing or not true/false");

    private static OmegaException Invalid(string path, string why, Exception? inner = null) =>
        new(InvalidErrorId, OmegaErrorCategory.InvalidData,
            $"The backup manifest '{path}' cannot be read: {why}. Manifests are written by Backup-OmegaDatabase; restore it from where the backup was made, or make a new backup.", path, inner);
}
