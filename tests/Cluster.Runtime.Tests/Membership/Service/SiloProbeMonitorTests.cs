using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>The probe cadence on a manual clock: a probe happens only when the test moves time or wakes the monitor.</summary>
public sealed class SiloProbeMonitorTests : IDisposable
{
    private static readonly SiloAddress s_target = new("10.0.0.9", 11111, 42);
    private static readonly SiloAddress s_intermediary = new("10.0.0.8", 11111, 42);
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedProbeTransport _transport = new();
    private readonly ConcurrentQueue<int> _votes = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ClusterMembershipOptions _options = new()
    {
        ProbePeriod = TimeSpan.FromSeconds(1),
        ProbeTimeout = TimeSpan.FromSeconds(2),
        NumMissedProbesLimit = 3,
    };

    [Fact]
    public async Task ProbeSoon_HealthyTarget_ProbesWithoutWaitingForThePeriod()
    {
        var sut = CreateSut();

        sut.ProbeSoon();

        Assert.Equal(s_target, await _transport.Probes.ReadAsync().AsTask().WaitAsync(MembershipTestCluster.WaitTimeout));
        Assert.Equal(0, sut.ConsecutiveFailures);
    }

    [Fact]
    public async Task ProbeSoon_AfterMissedProbe_KeepsTheCadence()
    {
        var sut = CreateSut();
        _transport.Answer = false;
        await Waits.UntilProbeAsync(_time, _transport);
        await Waits.UntilAsync(() => sut.ConsecutiveFailures == 1);

        // A stream of connection failures (our own failing probes among them) must not burn through the miss limit.
        sut.ProbeSoon();
        sut.ProbeSoon();
        await Task.Delay(300);
        Assert.False(_transport.Probes.TryRead(out _));

        await Waits.UntilProbeAsync(_time, _transport);
        await Waits.UntilAsync(() => sut.ConsecutiveFailures == 2);
    }

    [Fact]
    public async Task MissedProbes_FromTheLimitOn_EveryMissAsksForAVote()
    {
        var sut = CreateSut();
        _transport.Answer = false;

        for (var i = 1; i <= 4; i++)
        {
            await Waits.UntilProbeAsync(_time, _transport);
            await Waits.UntilAsync(() => sut.ConsecutiveFailures == i);
        }

        await Waits.UntilAsync(() => _votes.Count == 2);
        Assert.Equal([3, 4], _votes);

        // One answer resets the count.
        _transport.Answer = true;
        await Waits.UntilProbeAsync(_time, _transport);
        await Waits.UntilAsync(() => sut.ConsecutiveFailures == 0);
    }

    [Fact]
    public async Task IndirectProbe_DirectPathBrokenIntermediaryReaches_ResetsWithoutAVote()
    {
        var sut = CreateSut(_ => s_intermediary);
        _transport.Answer = false;
        _transport.IndirectAnswer = true;

        for (var i = 1; i <= 2; i++)
        {
            await Waits.UntilProbeAsync(_time, _transport);
            await Waits.UntilAsync(() => sut.ConsecutiveFailures == i);
        }

        Assert.Empty(_transport.Intermediaries);

        // The probe after NumMissedProbesLimit − 1 misses goes through the intermediary, which reaches the target.
        await Waits.UntilProbeAsync(_time, _transport);
        await Waits.UntilAsync(() => sut.ConsecutiveFailures == 0);
        Assert.Equal([s_intermediary], _transport.Intermediaries);

        // The cycle repeats (direct, direct, indirect) and never votes.
        for (var i = 1; i <= 3; i++)
        {
            await Waits.UntilProbeAsync(_time, _transport);
        }

        await Waits.UntilAsync(() => _transport.Intermediaries.Count == 2);
        await Waits.UntilAsync(() => sut.ConsecutiveFailures == 0);
        Assert.Empty(_votes);
    }

    [Fact]
    public async Task IndirectProbe_TargetDead_VotesAfterTheSameNumberOfProbes()
    {
        var sut = CreateSut(_ => s_intermediary);
        _transport.Answer = false;

        await MissProbesAsync(sut, 3);

        // The third probe was the indirect one; its failure is the miss that reaches the limit and votes.
        await Waits.UntilAsync(() => _votes.Count == 1);
        Assert.Equal([3], _votes);
        Assert.Equal([s_intermediary], _transport.Intermediaries);
    }

    [Fact]
    public async Task IndirectProbe_NoIntermediaryAvailable_ProbesDirectly()
    {
        var sut = CreateSut(_ => null);
        _transport.Answer = false;
        _transport.IndirectAnswer = true;

        await MissProbesAsync(sut, 3);

        await Waits.UntilAsync(() => _votes.Count == 1);
        Assert.Empty(_transport.Intermediaries);
    }

    [Fact]
    public async Task IndirectProbe_Disabled_NeverUsesTheIntermediary()
    {
        _options.EnableIndirectProbes = false;
        var sut = CreateSut(_ => s_intermediary);
        _transport.Answer = false;
        _transport.IndirectAnswer = true;

        await MissProbesAsync(sut, 3);

        await Waits.UntilAsync(() => _votes.Count == 1);
        Assert.Empty(_transport.Intermediaries);
    }

    [Fact]
    public async Task Probe_TransportIgnoresItsTimeout_CountsAsMissed()
    {
        var sut = CreateSut();
        _transport.Hang = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Waits.UntilProbeAsync(_time, _transport);

        // The monitor's own bound (twice the timeout) gives up on the probe.
        for (var i = 0; i < 50 && sut.ConsecutiveFailures == 0; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }

        await Waits.UntilAsync(() => sut.ConsecutiveFailures == 1);
    }

    [Fact]
    public async Task Stop_EndsTheMonitor()
    {
        var sut = CreateSut();

        sut.Stop();

        await sut.Completion.WaitAsync(MembershipTestCluster.WaitTimeout);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private SiloProbeMonitor CreateSut(Func<SiloAddress, SiloAddress?>? chooseIntermediary = null)
        => new(
            s_target,
            _transport,
            _options,
            _time,
            (_, failures) =>
            {
                _votes.Enqueue(failures);
                return Task.CompletedTask;
            },
            NullLogger.Instance,
            _stopping.Token,
            chooseIntermediary);

    private async Task MissProbesAsync(SiloProbeMonitor sut, int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Waits.UntilProbeAsync(_time, _transport);
            await Waits.UntilAsync(() => sut.ConsecutiveFailures == i);
        }
    }
}
