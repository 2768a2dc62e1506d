using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OmegaDb.Backups;

/// <summary>
/// SHA-256 of a dump, streamed in large blocks. A Directory dump hashes each file's relative
/// name, length and content in ordinal name order, so a renamed, missing or extra file changes
/// the hash as surely as a changed byte.
/// </summary>
public static class BackupChecksum
{
    private const int BlockSize = 1 << 20;

    public sealed record Result(string Sha256, long SizeBytes);

    public static async Task<Result> ComputeAsync(string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            long size;
            if (Directory.Exists(path))
            {
                size = 0;
                var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Select(f => (Full: f, Relative: Path.GetRelativePath(path, f).Replace('\\', '/')))
                    .OrderBy(f => f.Relative, StringComparer.Ordinal);
                var length = new byte[8];
                foreach (var (full, relative) in files)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(relative));
                    hash.AppendData([0]);
                    var fileSize = new FileInfo(full).Length;
                    BinaryPrimitives.WriteInt64BigEndian(length, fileSize);
                    hash.AppendData(length);
                    size += await AppendFileAsync(hash, full, buffer, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                size = await AppendFileAsync(hash, path, buffer, cancellationToken).ConfigureAwait(false);
            }

            return new Result(Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant(), size);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<long> AppendFileAsync(IncrementalHash hash, string file, byte[] buffer, CancellationToken cancellationToken)
    {
        // Sequential scan hint and no FileStream buffer of its own: the block is the buffer.
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(0, BlockSize), cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return total;
    }
}
