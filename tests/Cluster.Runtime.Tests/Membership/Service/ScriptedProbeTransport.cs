using System.Threading.Channels;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>A transport whose probes answer what the test says, and report each probe as it starts.</summary>
internal sealed class ScriptedProbeTransport : IClusterTransport
{
    private readonly Channel<SiloAddress> _probes = Channel.CreateUnbounded<SiloAddress>();
    private volatile bool _answer = true;
    private volatile TaskCompletionSource<bool>? _hang;

    public bool Answer
    {
        get => _answer;
        set => _answer = value;
    }

    /// <summary>While set, probes wait for it, ignoring their timeout (a misbehaving transport).</summary>
    public TaskCompletionSource<bool>? Hang
    {
        get => _hang;
        set => _hang = value;
    }

    public ChannelReader<SiloAddress> Probes => _probes.Reader;

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(
        SiloAddress target, GrainId grainId, TRequest request, int viewVersion, CancellationToken cancellationToken)
        => throw new NotSupportedException();

    public Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _probes.Writer.TryWrite(target);
        return _hang?.Task ?? Task.FromResult(_answer);
    }

    public void NotifyMembershipChanged(int version)
    {
    }

    public void Disconnect(SiloAddress target)
    {
    }
}
