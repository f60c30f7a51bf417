using System.Buffers;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tests.TestGrains;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>A route string and a mode byte.</summary>
internal sealed class HopRequestCodec : IWireCodec<HopRequest>
{
    public static readonly HopRequestCodec Instance = new();

    public void Write(HopRequest value, IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        writer.WriteString(value.Route);
        writer.WriteByte((byte)value.Mode);
    }

    public HopRequest Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var route = reader.ReadString(4096);
        var mode = (HopMode)reader.ReadByte();
        reader.EnsureEnd();
        return new HopRequest(route, mode);
    }
}
