using System.Collections.Concurrent;
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

    /// <summary>What indirect probes answer (null: the same as <see cref="Answer"/>).</summary>
    public bool? IndirectAnswer { get; set; }

    /// <summary>The intermediaries of the indirect probes sent (each also shows in <see cref="Probes"/>).</summary>
    public ConcurrentQueue<SiloAddress> Intermediaries { get; } = new();

    /// <summary>The timeout each probe (direct or indirect) was sent with, in order.</summary>
    public ConcurrentQueue<TimeSpan> Timeouts { get; } = new();

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(
        SiloAddress target, GrainId grainId, TRequest request, int viewVersion, CancellationToken cancellationToken)
        => throw new NotSupportedException();

    public Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Timeouts.Enqueue(timeout);
        _probes.Writer.TryWrite(target);
        return _hang?.Task ?? Task.FromResult(_answer);
    }

    public Task<bool> ProbeIndirectlyAsync(SiloAddress intermediary, SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Intermediaries.Enqueue(intermediary);
        Timeouts.Enqueue(timeout);
        _probes.Writer.TryWrite(target);
        return _hang?.Task ?? Task.FromResult(IndirectAnswer ?? _answer);
    }

    public void NotifyMembershipChanged(int version)
    {
    }

    public void Disconnect(SiloAddress target)
    {
    }
}
