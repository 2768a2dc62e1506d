using System.Security.Cryptography;

namespace OmegaDb.Schema;

/// <summary>
/// The fingerprint: SHA-256 of the canonical JSON of a schema's semantic content. Capture time,
/// database name and server version are left out, and the reader never records OIDs, sizes
/// or other physical details, so equal schemas hash equal on any server.
/// </summary>
public static class SchemaFingerprint
{
    public static string Compute(OmegaSchema schema) =>
        Convert.ToHexString(SHA256.HashData(SchemaJson.CanonicalContent(schema))).ToLowerInvariant();

    /// <summary>The schema with its fingerprint filled in.</summary>
    public static OmegaSchema Stamp(OmegaSchema schema) => schema.WithFingerprint(Compute(schema));
}
