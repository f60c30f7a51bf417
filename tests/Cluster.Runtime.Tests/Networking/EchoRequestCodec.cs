using System.Buffers;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Two strings: the op and the text.</summary>
internal sealed class EchoRequestCodec : IWireCodec<EchoRequest>
{
    public static readonly EchoRequestCodec Instance = new();

    public void Write(EchoRequest value, IBufferWriter<byte> output)
    {
        var writer = new WireWriter(output);
        writer.WriteString(value.Op);
        writer.WriteString(value.Text);
    }

    public EchoRequest Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var op = reader.ReadString(1024);
        var text = reader.ReadString(64 * 1024 * 1024);
        reader.EnsureEnd();
        return new EchoRequest(op, text);
    }
}
