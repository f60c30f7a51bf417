using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// A probe: true only if the exact silo (address and generation) answers before the deadline; every failure is false.
/// Probes are rare, so a <see cref="TaskCompletionSource{TResult}"/> is fine here. An indirect probe is sent to the
/// intermediary as an <see cref="FrameKind.IndirectPing"/> naming the target; the intermediary's <see cref="FrameKind.Pong"/>
/// names the target only if the target answered it, so the same check decides both.
/// </summary>
internal sealed class PingCall : PendingCall
{
    private readonly SiloAddress _target;
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Milliseconds the intermediary may wait for the target; 0 for a direct probe.
    private readonly uint _indirectTimeoutMilliseconds;

    public PingCall(SiloAddress target, long deadline)
        : base(deadline)
        => _target = target;

    /// <summary>An indirect probe of <paramref name="target"/>, sent to an intermediary.</summary>
    public PingCall(SiloAddress target, long deadline, TimeSpan indirectTimeout)
        : base(deadline)
    {
        _target = target;
        _indirectTimeoutMilliseconds = (uint)Math.Clamp(Math.Ceiling(indirectTimeout.TotalMilliseconds), 1, WireProtocol.MaxIndirectProbeTimeoutMilliseconds);
    }

    /// <summary>Completes with whether the target answered.</summary>
    public Task<bool> Task => _completion.Task;

    /// <inheritdoc />
    public override FrameKind ReplyKind => FrameKind.Pong;

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        if (!TryMarkSent())
        {
            return false;
        }

        var wire = new WireWriter(writer);
        if (_indirectTimeoutMilliseconds == 0)
        {
            wire.WriteByte((byte)FrameKind.Ping);
            wire.WriteInt64(CorrelationId);
        }
        else
        {
            wire.WriteByte((byte)FrameKind.IndirectPing);
            wire.WriteInt64(CorrelationId);
            wire.WriteString(_target.ToString());
            wire.WriteVarUInt32(_indirectTimeoutMilliseconds);
        }

        return true;
    }

    /// <inheritdoc />
    public override void OnWriteFailed(ClusterConnection connection, Exception exception)
    {
        if (connection.TryRemovePending(this))
        {
            CompleteNotSent(exception);
        }
    }

    /// <inheritdoc />
    protected override void OnReply(ref WireReader reader)
    {
        string? responder;
        try
        {
            responder = reader.ReadNullableString(WireProtocol.MaxIdentityBytes);
            reader.EnsureEnd();
        }
        catch (InvalidDataException)
        {
            _completion.TrySetResult(false);
            throw;
        }

        _completion.TrySetResult(SiloAddress.TryParse(responder, out var address) && address.Equals(_target));
    }

    /// <inheritdoc />
    protected override void OnTimedOut() => _completion.TrySetResult(false);

    /// <inheritdoc />
    protected override void OnFailed(Exception exception) => _completion.TrySetResult(false);

    /// <inheritdoc />
    protected override void OnCanceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
