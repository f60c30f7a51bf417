using System.Buffers;

namespace Cluster.Runtime.Serialization;

/// <summary>
/// Writes and reads one message type on the cluster protocol. A codec is registered per request and response type of a
/// grain message (see <c>AddGrainMessage</c>), so nothing on the wire is chosen by reflection. The format is the
/// codec's own; it must be versioned by the codec if it ever changes shape.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
public interface IWireCodec<T>
{
    /// <summary>Appends <paramref name="value"/> to <paramref name="output"/>.</summary>
    void Write(T value, IBufferWriter<byte> output);

    /// <summary>Reads a value written by <see cref="Write"/> from the whole of <paramref name="input"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid value (truncated, lengths out of range, bad UTF-8).</exception>
    T Read(ReadOnlySequence<byte> input);
}
