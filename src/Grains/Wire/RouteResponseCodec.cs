using System.Buffers;
using Cluster.Routing;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Wire;

/// <summary>
/// Writes and reads a <see cref="RouteResponse"/> on the cluster protocol (the answer to a
/// <see cref="RouteWireMessages.Name"/> call): status, content type (or none), headers in order (so one
/// <c>Set-Cookie</c> per cookie, redirects' <c>Location</c>) and body bytes. The layout is in this folder's README.
/// </summary>
public sealed class RouteResponseCodec : IWireCodec<RouteResponse>
{
    private const int MinStatus = 100;
    private const int MaxStatus = 599;

    private RouteResponseCodec()
    {
    }

    /// <summary>The codec (it has no state).</summary>
    public static RouteResponseCodec Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A header or the content type is over 1 MiB, or there are more than 1,000
    /// headers.</exception>
    public void Write(RouteResponse value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        var writer = new WireWriter(output);
        writer.WriteByte(RouteWireFormat.Version1);
        writer.WriteVarUInt32((uint)value.Status);
        RouteWireFormat.WriteNullableString(ref writer, value.ContentType);

        // A response keeps its headers in an array; the list path is only for safety should that ever change.
        if (value.Headers is KeyValuePair<string, string>[] headers)
        {
            RouteWireFormat.WriteHeaders(ref writer, headers);
        }
        else
        {
            RouteWireFormat.WriteHeaders(ref writer, value.Headers.ToArray());
        }

        writer.WriteBytes(value.Body.Span);
    }

    /// <inheritdoc />
    public RouteResponse Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        RouteWireFormat.ReadVersion(ref reader, "route response");
        var status = reader.ReadVarUInt32();
        if (status is < MinStatus or > MaxStatus)
        {
            throw new InvalidDataException($"A route response has the status {status}, outside {MinStatus}–{MaxStatus}.");
        }

        var contentType = reader.ReadNullableString(RouteWireFormat.MaxStringBytes);
        var headers = RouteWireFormat.ReadHeaders(ref reader);

        // Bounded by the frame, as a request body is.
        var body = reader.ReadBytes(int.MaxValue);
        reader.EnsureEnd();
        return RouteResponse.FromTrustedParts((int)status, contentType, headers, body);
    }
}
