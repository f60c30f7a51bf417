using System.Buffers;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>One 32-bit integer.</summary>
internal sealed class Int32Codec : IWireCodec<int>
{
    public static readonly Int32Codec Instance = new();

    public void Write(int value, IBufferWriter<byte> output) => new WireWriter(output).WriteInt32(value);

    public int Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var value = reader.ReadInt32();
        reader.EnsureEnd();
        return value;
    }
}
