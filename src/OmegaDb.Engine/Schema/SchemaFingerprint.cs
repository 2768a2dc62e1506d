using System.Security.Cryptography;

namespace OmegaDb.Schema;

/// <summary>
/// The fingerprint: SHA-256 of the canonical JSON of a schema's semantic content. Capture time,
/// database name and server version are left out, and the reader never records OIDs, sizes
/// or other physical details, so equal schemas hash equal on any server.
/// </summary>
public static class SchemaFingerprint
{
    public static string Compute(OmegaSchema schema)
    {
        using var hash = new HashingStream();
        SchemaJson.WriteCanonicalContent(schema, hash);
        return Convert.ToHexString(hash.Finish()).ToLowerInvariant();
    }

    /// <summary>The schema with its fingerprint filled in.</summary>
    public static OmegaSchema Stamp(OmegaSchema schema) => schema.WithFingerprint(Compute(schema));

    /// <summary>A write-only stream that hashes what it is given instead of keeping it.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] Finish() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => _hash.AppendData(buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
