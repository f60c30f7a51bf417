using System.Buffers;
using System.Diagnostics;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>A registered grain message with its request and response codecs.</summary>
internal sealed class GrainMessageDescriptor<TRequest, TResponse> : GrainMessageDescriptor
{
    public GrainMessageDescriptor(string name, IWireCodec<TRequest> requestCodec, IWireCodec<TResponse> responseCodec)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(requestCodec);
        ArgumentNullException.ThrowIfNull(responseCodec);
        RequestCodec = requestCodec;
        ResponseCodec = responseCodec;
    }

    /// <summary>Writes and reads requests.</summary>
    public IWireCodec<TRequest> RequestCodec { get; }

    /// <summary>Writes and reads responses.</summary>
    public IWireCodec<TResponse> ResponseCodec { get; }

    /// <inheritdoc />
    public override Type RequestType => typeof(TRequest);

    /// <inheritdoc />
    public override Type ResponseType => typeof(TResponse);

    /// <inheritdoc />
    public override IThreadPoolWorkItem ReadRequest(
        ClusterConnection connection,
        long correlationId,
        int viewVersion,
        long expiresAt,
        long callChainId,
        in ActivityContext parent,
        GrainId grainId,
        ReadOnlySequence<byte> payload)
    {
        TRequest request;
        try
        {
            request = RequestCodec.Read(payload);
        }
        catch (Exception ex) when (ex is not InvalidDataException)
        {
            // A codec must throw InvalidDataException for bad bytes; anything else it throws is treated the same way,
            // since the bytes came from the network.
            throw new InvalidDataException($"The request codec of '{Name}' failed: {ex.Message}", ex);
        }

        return new InboundCall<TRequest, TResponse>(connection, this, correlationId, viewVersion, expiresAt, grainId, request, callChainId, parent);
    }
}
