using System.Buffers;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Wire;

/// <summary>
/// Writes and reads a <see cref="RouteInvocation"/> on the cluster protocol (message <see cref="RouteWireMessages.Name"/>).
/// Every field round-trips exactly: header order and repeated names, params with catch-all segments, and body bytes.
/// The layout is in this folder's README.
/// </summary>
public sealed class RouteInvocationCodec : IWireCodec<RouteInvocation>
{
    private RouteInvocationCodec()
    {
    }

    /// <summary>The codec (it has no state).</summary>
    public static RouteInvocationCodec Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A field is over the protocol's limits (a string over 1 MiB, more than 1,000
    /// headers or params, more than 10,000 catch-all segments) or a param value is not a string or string array.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RouteInvocation.Handler"/> is not a defined method.</exception>
    public void Write(RouteInvocation value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        if ((uint)value.Handler > (uint)RouteMethod.Delete)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value.Handler, "The handler is not a defined route method.");
        }

        var writer = new WireWriter(output);
        writer.WriteByte(RouteWireFormat.Version1);
        RouteWireFormat.WriteString(ref writer, value.Pattern);
        writer.WriteByte((byte)value.Handler);
        RouteWireFormat.WriteString(ref writer, value.Method);
        RouteWireFormat.WriteString(ref writer, value.Scheme);
        RouteWireFormat.WriteString(ref writer, value.Host);
        RouteWireFormat.WriteString(ref writer, value.Path);
        RouteWireFormat.WriteString(ref writer, value.QueryString);
        RouteWireFormat.WriteHeaders(ref writer, value.Headers.AsSpan());
        RouteWireFormat.WriteParams(ref writer, value.Params);
        writer.WriteBytes(value.Body.Span);
    }

    /// <inheritdoc />
    public RouteInvocation Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        RouteWireFormat.ReadVersion(ref reader, "route invocation");
        var pattern = reader.ReadString(RouteWireFormat.MaxStringBytes);
        var handler = reader.ReadByte();
        if (handler > (byte)RouteMethod.Delete)
        {
            throw new InvalidDataException($"A route invocation names the unknown handler {handler}.");
        }

        var method = reader.ReadString(RouteWireFormat.MaxStringBytes);
        var scheme = reader.ReadString(RouteWireFormat.MaxStringBytes);
        var host = reader.ReadString(RouteWireFormat.MaxStringBytes);
        var path = reader.ReadString(RouteWireFormat.MaxStringBytes);
        var queryString = reader.ReadString(RouteWireFormat.MaxStringBytes);
        var headers = RouteWireFormat.ReadHeaders(ref reader);
        var routeParams = RouteWireFormat.ReadParams(ref reader);

        // The body is bounded only by the frame it came in (the transport's MaxFrameSize): its length must fit in
        // what is left, which the reader checks before allocating.
        var body = reader.ReadBytes(int.MaxValue);
        reader.EnsureEnd();

        return new RouteInvocation
        {
            Pattern = pattern,
            Handler = (RouteMethod)handler,
            Method = method,
            Scheme = scheme,
            Host = host,
            Path = path,
            QueryString = queryString,
            Headers = headers.Length == 0 ? RouteHeaders.Empty : new RouteHeaders(headers),
            Params = routeParams,
            Body = body,
        };
    }
}
