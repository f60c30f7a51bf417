using System.Buffers;
using Cluster.Runtime.Serialization;

namespace Cluster.PingBench;

/// <summary>A byte run, for both the request and the response.</summary>
internal sealed class PingCodec : IWireCodec<PingRequest>
{
    public static readonly PingCodec Instance = new();

    public void Write(PingRequest value, IBufferWriter<byte> output) => new WireWriter(output).WriteBytes(value.Payload);

    public PingRequest Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var payload = reader.ReadBytes(1024 * 1024);
        reader.EnsureEnd();
        return new PingRequest(payload);
    }
}
