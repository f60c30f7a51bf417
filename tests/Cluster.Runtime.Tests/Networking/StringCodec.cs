using System.Buffers;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>One string (the echo response).</summary>
internal sealed class StringCodec : IWireCodec<string>
{
    public static readonly StringCodec Instance = new();

    public void Write(string value, IBufferWriter<byte> output) => new WireWriter(output).WriteString(value);

    public string Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var value = reader.ReadString(64 * 1024 * 1024);
        reader.EnsureEnd();
        return value;
    }
}
