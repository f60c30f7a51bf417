using System.Buffers;
using System.Diagnostics;
using System.Text;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// A grain message type registered with <c>AddGrainMessage</c>: its wire name and codecs. The receiving side finds it by
/// name and lets it decode the request into a typed work item, so nothing on the wire is chosen by reflection.
/// </summary>
internal abstract class GrainMessageDescriptor
{
    protected GrainMessageDescriptor(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var utf8 = Encoding.UTF8.GetBytes(name);
        if (utf8.Length > WireProtocol.MaxMessageNameBytes)
        {
            throw new ArgumentException($"A grain message name is at most {WireProtocol.MaxMessageNameBytes} UTF-8 bytes.", nameof(name));
        }

        Name = name;
        NameUtf8 = utf8;
        var encoded = new ArrayBufferWriter<byte>(utf8.Length + 5);
        new WireWriter(encoded).WriteString(name);
        EncodedName = encoded.WrittenSpan.ToArray();
    }

    /// <summary>The name on the wire, e.g. <c>route.v1</c>.</summary>
    public string Name { get; }

    /// <summary>The name's UTF-8 bytes, to match a received name without decoding it.</summary>
    public byte[] NameUtf8 { get; }

    /// <summary>The name as written in a request (length prefix and UTF-8), computed once.</summary>
    public byte[] EncodedName { get; }

    /// <summary>The request type.</summary>
    public abstract Type RequestType { get; }

    /// <summary>The response type.</summary>
    public abstract Type ResponseType { get; }

    /// <summary>
    /// Decodes a received request's payload (synchronously, while the frame's buffer is valid) and returns the work item
    /// that runs it and queues its response.
    /// </summary>
    /// <remarks>
    /// <paramref name="callChainId"/> is the call chain the request belongs to (0: none); <paramref name="parent"/> the
    /// caller's trace context (default: none, or nobody here records spans).
    /// </remarks>
    /// <exception cref="InvalidDataException">The payload is not a valid request.</exception>
    public abstract IThreadPoolWorkItem ReadRequest(
        ClusterConnection connection,
        long correlationId,
        int viewVersion,
        long expiresAt,
        long callChainId,
        in ActivityContext parent,
        GrainId grainId,
        ReadOnlySequence<byte> payload);
}
