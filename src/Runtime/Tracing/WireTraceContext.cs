using System.Buffers.Binary;
using System.Diagnostics;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Tracing;

/// <summary>
/// A W3C trace context as a request frame carries it (Networking/README.md): the trace id (16 bytes), the parent span
/// id (8 bytes) and the trace flags (1 byte), in W3C byte order; the trace state is not carried. All-zero ids are
/// invalid in W3C and make the frame malformed.
/// </summary>
internal static class WireTraceContext
{
    /// <summary>The bytes a trace context takes in a frame.</summary>
    public const int Size = 16 + 8 + 1;

    /// <summary>Writes <paramref name="parent"/>'s trace id, span id and flags.</summary>
    public static void Write(WireWriter wire, Activity parent)
    {
        Span<byte> bytes = stackalloc byte[Size];
        parent.TraceId.CopyTo(bytes[..16]);
        parent.SpanId.CopyTo(bytes.Slice(16, 8));
        bytes[24] = (byte)parent.ActivityTraceFlags;
        wire.WriteRaw(bytes);
    }

    /// <summary>
    /// Reads a trace context. Its ids are turned into an <see cref="ActivityContext"/> (which allocates their text) only
    /// when <paramref name="materialize"/> is set, i.e. when someone listens; otherwise they are checked and skipped.
    /// </summary>
    /// <exception cref="InvalidDataException">Truncated, or the trace id or span id is all zeros.</exception>
    public static ActivityContext Read(ref WireReader reader, bool materialize)
    {
        // Read as raw 64-bit words and written back in the same byte order: the bytes come out as they went in.
        var trace0 = reader.ReadInt64();
        var trace1 = reader.ReadInt64();
        var span = reader.ReadInt64();
        var flags = reader.ReadByte();
        if ((trace0 | trace1) == 0)
        {
            throw new InvalidDataException("A traced request carries an all-zero trace id.");
        }

        if (span == 0)
        {
            throw new InvalidDataException("A traced request carries an all-zero parent span id.");
        }

        if (!materialize)
        {
            return default;
        }

        Span<byte> bytes = stackalloc byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, trace0);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], trace1);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[16..], span);

        // Only the sampled bit is defined (W3C trace-context level 1); other bits are ignored, as the spec asks.
        return new ActivityContext(
            ActivityTraceId.CreateFromBytes(bytes[..16]),
            ActivitySpanId.CreateFromBytes(bytes[16..]),
            (ActivityTraceFlags)(flags & (byte)ActivityTraceFlags.Recorded),
            traceState: null,
            isRemote: true);
    }
}
