using System.Buffers.Binary;

namespace OmegaDb.Data;

/// <summary>
/// Counts the rows in a binary COPY stream as its chunks pass through, without copying or
/// decoding values: a raw COPY hands bytes over and never says how many rows they held.
/// The format: an 11-byte signature, flags and a header extension; then per row a 16-bit
/// field count and each field as a 32-bit length (-1 for NULL) and its bytes; -1 as the field
/// count ends the data.
/// </summary>
internal sealed class BinaryCopyRowCounter
{
    private const int FixedHeaderLength = 11 + 4 + 4;

    private enum State
    {
        Header,
        HeaderExtension,
        FieldCount,
        FieldLength,
        FieldData,
        Done,
    }

    private readonly byte[] _pending = new byte[FixedHeaderLength];
    private int _pendingLength;
    private State _state = State.Header;
    private long _skip;
    private int _fieldsLeft;

    public long Rows { get; private set; }

    public bool Complete => _state == State.Done;

    public void Add(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty && _state != State.Done)
        {
            switch (_state)
            {
                case State.HeaderExtension:
                case State.FieldData:
                    var skipped = (int)Math.Min(_skip, chunk.Length);
                    chunk = chunk[skipped..];
                    _skip -= skipped;
                    if (_skip == 0)
                    {
                        _state = _state == State.HeaderExtension ? State.FieldCount : NextField();
                    }

                    break;
                case State.Header:
                    if (Take(ref chunk, FixedHeaderLength, out var extension))
                    {
                        _skip = extension;
                        _state = _skip > 0 ? State.HeaderExtension : State.FieldCount;
                    }

                    break;
                case State.FieldCount:
                    if (Take(ref chunk, 2, out var count))
                    {
                        _fieldsLeft = count;
                        if (_fieldsLeft < 0)
                        {
                            _state = State.Done;
                        }
                        else
                        {
                            Rows++;
                            _state = NextField();
                        }
                    }

                    break;
                case State.FieldLength:
                    if (Take(ref chunk, 4, out var length))
                    {
                        _fieldsLeft--;
                        _skip = length;
                        _state = _skip > 0 ? State.FieldData : NextField();
                    }

                    break;
            }
        }
    }

    private State NextField() => _fieldsLeft > 0 ? State.FieldLength : State.FieldCount;

    /// <summary>
    /// Reads the big-endian integer in the last 2 or 4 of the next <paramref name="length"/>
    /// bytes, gathering them across chunks; false until they have all arrived.
    /// </summary>
    private bool Take(ref ReadOnlySpan<byte> chunk, int length, out int value)
    {
        ReadOnlySpan<byte> bytes;
        if (_pendingLength == 0 && chunk.Length >= length)
        {
            bytes = chunk[..length];
            chunk = chunk[length..];
        }
        else
        {
            var wanted = Math.Min(length - _pendingLength, chunk.Length);
            chunk[..wanted].CopyTo(_pending.AsSpan(_pendingLength));
            chunk = chunk[wanted..];
            _pendingLength += wanted;
            if (_pendingLength < length)
            {
                value = 0;
                return false;
            }

            _pendingLength = 0;
            bytes = _pending.AsSpan(0, length);
        }

        value = length == 2 ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt32BigEndian(bytes[^4..]);
        return true;
    }
}
