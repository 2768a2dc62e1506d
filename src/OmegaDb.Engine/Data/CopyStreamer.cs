using System.Buffers;
using System.Diagnostics;
using Npgsql;

namespace OmegaDb.Data;

/// <summary>
/// Streams one COPY from a source connection into a COPY on a destination connection, a
/// buffer at a time: nothing is held in memory beyond the buffer, whatever the table's size.
/// Binary COPY passes through untouched; text COPY (for types whose binary form names type
/// OIDs) passes as characters.
/// </summary>
internal static class CopyStreamer
{
    private const int BufferSize = 256 * 1024;
    private static readonly TimeSpan ReportEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>Copies, calling <paramref name="onProgress"/> with rows and bytes about twice a second; returns the totals.</summary>
    public static async Task<(long Rows, long Bytes)> CopyAsync(NpgsqlConnection source, string copyOut, NpgsqlConnection destination, string copyIn,
        bool text, Action<long, long> onProgress, CancellationToken cancellationToken) =>
        text
            ? await CopyTextAsync(source, copyOut, destination, copyIn, onProgress, cancellationToken).ConfigureAwait(false)
            : await CopyBinaryAsync(source, copyOut, destination, copyIn, onProgress, cancellationToken).ConfigureAwait(false);

    private static async Task<(long, long)> CopyBinaryAsync(NpgsqlConnection source, string copyOut, NpgsqlConnection destination, string copyIn,
        Action<long, long> onProgress, CancellationToken cancellationToken)
    {
        var counter = new BinaryCopyRowCounter();
        long bytes = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var reader = await source.BeginRawBinaryCopyAsync(copyOut, cancellationToken).ConfigureAwait(false);
            await using var writer = await destination.BeginRawBinaryCopyAsync(copyIn, cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            try
            {
                int read;
                while ((read = await FillAsync(reader, buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    counter.Add(buffer.AsSpan(0, read));
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    bytes += read;
                    if (clock.Elapsed >= ReportEvery)
                    {
                        onProgress(counter.Rows, bytes);
                        clock.Restart();
                    }
                }

                if (!counter.Complete)
                {
                    // Without its end marker the destination would reject the data anyway, but
                    // with a message about the format rather than the cause.
                    throw new OmegaException(DataCopier.CopyFailedErrorId, OmegaErrorCategory.InvalidData,
                        $"The source's COPY data ended before its end marker, after {counter.Rows} rows. Nothing was copied; check the source server's log, then try again.");
                }
            }
            catch
            {
                // End both COPYs now, so that disposing the streams neither reads the rest of
                // the source nor commits a half-written COPY in the destination.
                await AbandonAsync(writer.CancelAsync, reader.CancelAsync).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        onProgress(counter.Rows, bytes);
        return (counter.Rows, bytes);
    }

    private static async Task<(long, long)> CopyTextAsync(NpgsqlConnection source, string copyOut, NpgsqlConnection destination, string copyIn,
        Action<long, long> onProgress, CancellationToken cancellationToken)
    {
        long rows = 0;
        long chars = 0;
        var buffer = ArrayPool<char>.Shared.Rent(BufferSize);
        try
        {
            using var reader = await source.BeginTextExportAsync(copyOut, cancellationToken).ConfigureAwait(false);
            await using var writer = await destination.BeginTextImportAsync(copyIn, cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            try
            {
                int read;
                while ((read = await FillAsync(reader, buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    // Text COPY escapes newlines inside values as \n, so every real one ends a row.
                    rows += buffer.AsSpan(0, read).Count('\n');
                    await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    chars += read;
                    if (clock.Elapsed >= ReportEvery)
                    {
                        onProgress(rows, chars);
                        clock.Restart();
                    }
                }
            }
            catch
            {
                await AbandonAsync(((NpgsqlCopyTextWriter)writer).CancelAsync, ((NpgsqlCopyTextReader)reader).CancelAsync).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }

        onProgress(rows, chars);
        return (rows, chars);
    }

    /// <summary>
    /// Reads until the buffer is full or the data ends. The source's COPY arrives one row per
    /// message and a read returns at most one message, so without this every row would become
    /// its own write (and its own COPY message) to the destination.
    /// </summary>
    private static async ValueTask<int> FillAsync(Stream reader, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < BufferSize && (read = await reader.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static async ValueTask<int> FillAsync(TextReader reader, char[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < BufferSize && (read = await reader.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    private static async Task AbandonAsync(params Func<Task>[] cancels)
    {
        foreach (var cancel in cancels)
        {
            try
            {
                await cancel().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException or OperationCanceledException)
            {
                // The copy has already failed; the first error is the one to report.
            }
        }
    }
}
