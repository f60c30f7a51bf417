using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Cluster.Runtime.Networking;

/// <summary>
/// Writes one length-prefixed frame straight into a connection's <see cref="PipeWriter"/>. The 4-byte prefix is reserved
/// at the start of the pipe's memory and filled in at <see cref="Commit"/>, when the length is known; nothing reaches the
/// pipe before then, so a frame can still be abandoned (<see cref="Cancel"/>) or restarted (<see cref="Restart"/>) if a
/// codec throws or the frame turns out too large. A frame that fits the pipe's current memory (the usual case) is
/// written with no copy; the part of a larger one that does not fit goes to a reused overflow buffer and is copied once.
/// One instance per connection, used only by its writer loop.
/// </summary>
internal sealed class FrameWriter : IBufferWriter<byte>
{
    // Asking the pipe for this much keeps typical frames in one piece; the pipe's blocks are 4 KiB, so at most this much
    // of a block is left unused when a frame starts a new one.
    private const int FirstChunkHint = 1024;

    // An overflow buffer grown past this by one huge frame is dropped afterwards rather than kept for the connection's life.
    private const int MaxRetainedOverflow = 1024 * 1024;

    private PipeWriter? _output;
    private Memory<byte> _first;
    private int _firstWritten;
    private ArrayBufferWriter<byte>? _overflow;
    private bool _overflowing;

    /// <summary>The body bytes written so far (the prefix excluded).</summary>
    public int Length => _firstWritten - WireProtocol.FramePrefixSize + (_overflowing ? _overflow!.WrittenCount : 0);

    /// <summary>Starts a frame at the end of <paramref name="output"/>'s unflushed data.</summary>
    public void Begin(PipeWriter output)
    {
        _output = output;
        _first = output.GetMemory(FirstChunkHint);
        _firstWritten = WireProtocol.FramePrefixSize;
        _overflowing = false;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        if (!_overflowing)
        {
            if (_first.Length - _firstWritten >= Math.Max(sizeHint, 1))
            {
                return _first[_firstWritten..];
            }

            _overflowing = true;
            _overflow ??= new ArrayBufferWriter<byte>(Math.Max(sizeHint, 4096));
        }

        return _overflow!.GetMemory(sizeHint);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (_overflowing)
        {
            _overflow!.Advance(count);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _first.Length - _firstWritten);
        _firstWritten += count;
    }

    /// <summary>Forgets what was written to this frame so far and starts it again (e.g. to send an error instead).</summary>
    public void Restart()
    {
        _firstWritten = WireProtocol.FramePrefixSize;
        ResetOverflow();
    }

    /// <summary>Writes the length prefix and hands the frame to the pipe (still unflushed).</summary>
    public void Commit()
    {
        var output = _output!;
        BinaryPrimitives.WriteInt32LittleEndian(_first.Span, Length);
        output.Advance(_firstWritten);
        if (_overflowing)
        {
            output.Write(_overflow!.WrittenSpan);
        }

        ResetOverflow();
        _output = null;
        _first = default;
    }

    /// <summary>Abandons the frame: the pipe never sees any of it.</summary>
    public void Cancel()
    {
        ResetOverflow();
        _output = null;
        _first = default;
    }

    private void ResetOverflow()
    {
        if (_overflowing)
        {
            if (_overflow!.Capacity > MaxRetainedOverflow)
            {
                _overflow = null;
            }
            else
            {
                _overflow.ResetWrittenCount();
            }
        }

        _overflowing = false;
    }
}
