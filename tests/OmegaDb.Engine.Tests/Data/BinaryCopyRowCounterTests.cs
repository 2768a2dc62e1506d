using System.Buffers.Binary;
using OmegaDb.Data;

namespace OmegaDb.Tests.Data;

public sealed class BinaryCopyRowCounterTests
{
    /// <summary>A binary COPY stream as PostgreSQL writes it: header (with an extension), rows, trailer.</summary>
    private static byte[] Stream(int extension, params byte[]?[][] rows)
    {
        var bytes = new List<byte>();
        bytes.AddRange([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]); // PGCOPY\n\377\r\n\0
        bytes.AddRange(Int32(0));
        bytes.AddRange(Int32(extension));
        bytes.AddRange(new byte[extension]);
        foreach (var row in rows)
        {
            bytes.AddRange(Int16((short)row.Length));
            foreach (var field in row)
            {
                bytes.AddRange(Int32(field?.Length ?? -1));
                bytes.AddRange(field ?? []);
            }
        }

        bytes.AddRange(Int16(-1));
        return bytes.ToArray();
    }

    private static byte[] Int32(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        return b;
    }

    private static byte[] Int16(short value)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteInt16BigEndian(b, value);
        return b;
    }

    public static TheoryData<int> ChunkSizes => new() { 1, 2, 3, 5, 7, 64, 100_000 };

    [Theory]
    [MemberData(nameof(ChunkSizes))]
    public void Counts_rows_whatever_the_chunk_boundaries(int chunk)
    {
        // Field lengths of 0, NULL and values whose bytes look like a trailer (0xFFFF).
        var data = Stream(3,
            [[1, 2, 3], null, []],
            [[0xff, 0xff, 0xff, 0xff], [9]],
            [],
            [new byte[300]]);
        var counter = new BinaryCopyRowCounter();
        for (var i = 0; i < data.Length; i += chunk)
        {
            counter.Add(data.AsSpan(i, Math.Min(chunk, data.Length - i)));
        }

        Assert.Equal(4, counter.Rows);
        Assert.True(counter.Complete);
    }

    [Fact]
    public void An_unfinished_stream_is_not_complete()
    {
        var data = Stream(0, [[1]], [[2]]);
        var counter = new BinaryCopyRowCounter();
        counter.Add(data.AsSpan(0, data.Length - 2));
        Assert.Equal(2, counter.Rows);
        Assert.False(counter.Complete);
    }
}
