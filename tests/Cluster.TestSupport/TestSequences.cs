using System.Buffers;

namespace Cluster.TestSupport;

/// <summary>Builds multi-segment sequences, as a pipe hands over a frame that spans several buffers.</summary>
public static class TestSequences
{
    /// <summary>The bytes split into segments of <paramref name="segmentLength"/> bytes (the last may be shorter).</summary>
    public static ReadOnlySequence<byte> Split(ReadOnlySpan<byte> bytes, int segmentLength)
    {
        if (bytes.IsEmpty)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(bytes[..Math.Min(segmentLength, bytes.Length)].ToArray(), 0);
        var last = first;
        for (var offset = segmentLength; offset < bytes.Length; offset += segmentLength)
        {
            last = last.Append(bytes[offset..Math.Min(offset + segmentLength, bytes.Length)].ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public Segment Append(byte[] bytes)
        {
            var next = new Segment(bytes, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
