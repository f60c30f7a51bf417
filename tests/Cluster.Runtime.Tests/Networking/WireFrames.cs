using System.Buffers;
using System.Buffers.Binary;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Builds raw frames as README.md describes them, for tests that play a (possibly hostile) peer.</summary>
internal static class WireFrames
{
    public const byte Request = 1;
    public const byte Response = 2;
    public const byte Broadcast = 10;
    public const byte BroadcastAck = 11;

    /// <summary>A length prefix and a body.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> body)
    {
        var frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, body.Length);
        body.CopyTo(frame.AsSpan(4));
        return frame;
    }

    /// <summary>Just a length prefix.</summary>
    public static byte[] Prefix(int length)
    {
        var prefix = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(prefix, length);
        return prefix;
    }

    /// <summary>A request body; <paramref name="payload"/> null means a valid echo request.</summary>
    public static byte[] RequestBody(
        long correlationId,
        int generation,
        uint ttl = 30_000,
        string messageName = TransportHost.MessageName,
        byte[]? grainTypeUtf8 = null,
        string key = "k",
        byte[]? payload = null,
        int viewVersion = 1)
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(body);
        writer.WriteByte(Request);
        writer.WriteInt64(correlationId);
        writer.WriteInt32(generation);
        writer.WriteInt32(viewVersion);
        writer.WriteVarUInt32(ttl);
        writer.WriteString(messageName);
        writer.WriteBytes(grainTypeUtf8 ?? "echo"u8);
        writer.WriteString(key);
        if (payload is null)
        {
            EchoRequestCodec.Instance.Write(new EchoRequest("echo", "raw"), body);
        }
        else
        {
            writer.WriteRaw(payload);
        }

        return body.WrittenSpan.ToArray();
    }

    /// <summary>A broadcast body: id, topic (as a length-prefixed byte run, so tests can send bad UTF-8), payload.</summary>
    public static byte[] BroadcastBody(long id, ReadOnlySpan<byte> topicUtf8, ReadOnlySpan<byte> payload)
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(body);
        writer.WriteByte(Broadcast);
        writer.WriteInt64(id);
        writer.WriteBytes(topicUtf8);
        writer.WriteRaw(payload);
        return body.WrittenSpan.ToArray();
    }

    /// <summary>A broadcast acknowledgement body.</summary>
    public static byte[] BroadcastAckBody(long id)
    {
        var body = new byte[9];
        body[0] = BroadcastAck;
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(1), id);
        return body;
    }
}
