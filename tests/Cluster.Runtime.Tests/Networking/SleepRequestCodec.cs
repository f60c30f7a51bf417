using System.Buffers;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tests.TestGrains;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>A tag string and a number of milliseconds.</summary>
internal sealed class SleepRequestCodec : IWireCodec<SleepRequest>
{
    public static readonly SleepRequestCodec Instance = new();

    public void Write(SleepRequest value, IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        writer.WriteString(value.Tag);
        writer.WriteInt32(value.Milliseconds);
    }

    public SleepRequest Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var tag = reader.ReadString(4096);
        var milliseconds = reader.ReadInt32();
        reader.EnsureEnd();
        return new SleepRequest(tag, milliseconds);
    }
}
