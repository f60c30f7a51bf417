using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>The local degradation score on a manual clock, and the probe timeout it extends.</summary>
public sealed class LocalSiloHealthMonitorTests : IDisposable
{
    private static readonly SiloAddress s_target = new("10.0.0.9", 11111, 42);
    private readonly FakeTimeProvider _time = new();
    private readonly ConcurrentQueue<Action> _pool = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ClusterMembershipOptions _options = new()
    {
        ProbePeriod = TimeSpan.FromSeconds(1),
        ProbeTimeout = TimeSpan.FromSeconds(2),
        NumMissedProbesLimit = 3,
    };

    private bool _hasTargets;
    private int _votes;

    [Fact]
    public void Check_Healthy_ScoresZero()
    {
        var sut = CreateSut();

        Assert.Equal(0, CheckHealthy(sut));
        Assert.Equal(0, CheckHealthy(sut));
    }

    [Fact]
    public void Check_ThreadPoolDidNotRunTheItem_RaisesThenFallsBack()
    {
        var sut = CreateSut();
        Assert.Equal(0, Tick(sut));

        // The item queued by the previous check is still waiting.
        Assert.Equal(2, Tick(sut));

        RunPool();
        Assert.Equal(0, Tick(sut));
    }

    [Fact]
    public void Check_TimerLate_RaisesThenFallsBack()
    {
        var sut = CreateSut();

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(2, CheckHealthy(sut));

        Assert.Equal(0, CheckHealthy(sut));
    }

    [Fact]
    public void Check_NoProbeAnswersWhileProbing_RaisesThenFallsBack()
    {
        var sut = CreateSut();
        _hasTargets = true;
        Assert.Equal(0, CheckHealthy(sut));

        // The window is 3 × max(1 s, 2 s) = 6 s without an answer.
        for (var i = 0; i < 7; i++)
        {
            CheckHealthy(sut);
        }

        Assert.Equal(2, CheckHealthy(sut));

        sut.ReportProbeSucceeded();
        Assert.Equal(0, CheckHealthy(sut));
    }

    [Fact]
    public void Check_NoProbeTargets_NeverCountsMissingAnswers()
    {
        var sut = CreateSut();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(0, CheckHealthy(sut));
        }
    }

    [Fact]
    public void Check_FreshVotesAgainstSelf_CountOneEachUpToTwo()
    {
        var sut = CreateSut();

        _votes = 1;
        Assert.Equal(1, CheckHealthy(sut));
        _votes = 5;
        Assert.Equal(2, CheckHealthy(sut));
        _votes = 0;
        Assert.Equal(0, CheckHealthy(sut));
    }

    [Fact]
    public void Check_EverySignal_AddsUpToTheMaximum()
    {
        var sut = CreateSut();
        _hasTargets = true;
        _votes = 3;
        Tick(sut);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(LocalSiloHealthMonitor.MaxScore, sut.Check());
    }

    [Fact]
    public void Start_TimerChecksEverySecond()
    {
        using var sut = CreateSut();
        sut.Start();
        _votes = 1;

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, sut.Score);
    }

    [Fact]
    public async Task ProbeMonitor_Degraded_ExtendsTheTimeout()
    {
        var transport = new ScriptedProbeTransport();
        var health = CreateSut();
        _votes = 2;
        CheckHealthy(health);
        Assert.Equal(2, health.Score);
        var monitor = CreateMonitor(transport, health);

        await Waits.UntilProbeAsync(_time, transport);

        Assert.Equal(TimeSpan.FromSeconds(6), monitor.EffectiveProbeTimeout);
        Assert.Equal([TimeSpan.FromSeconds(6)], transport.Timeouts);

        // Healthy again: the next probe waits the plain timeout.
        _votes = 0;
        CheckHealthy(health);
        await Waits.UntilProbeAsync(_time, transport);
        Assert.Equal([TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(2)], transport.Timeouts);
    }

    [Fact]
    public async Task ProbeMonitor_OptionOff_NeverExtendsTheTimeout()
    {
        _options.ExtendProbeTimeoutDuringDegradation = false;
        var transport = new ScriptedProbeTransport();
        var health = CreateSut();
        _votes = 2;
        CheckHealthy(health);
        Assert.Equal(2, health.Score);
        var monitor = CreateMonitor(transport, health);

        await Waits.UntilProbeAsync(_time, transport);

        Assert.Equal(TimeSpan.FromSeconds(2), monitor.EffectiveProbeTimeout);
        Assert.Equal([TimeSpan.FromSeconds(2)], transport.Timeouts);
    }

    [Fact]
    public async Task ProbeMonitor_AnsweredProbe_ReportsSuccessToTheHealthMonitor()
    {
        var transport = new ScriptedProbeTransport();
        var health = CreateSut();
        _hasTargets = true;
        for (var i = 0; i < 8; i++)
        {
            CheckHealthy(health);
        }

        Assert.Equal(2, health.Score);
        CreateMonitor(transport, health);

        await Waits.UntilProbeAsync(_time, transport);
        await Waits.UntilAsync(() => CheckHealthy(health) == 0);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private LocalSiloHealthMonitor CreateSut()
        => new(_time, _options, () => _hasTargets, () => _votes, _pool.Enqueue);

    private SiloProbeMonitor CreateMonitor(ScriptedProbeTransport transport, LocalSiloHealthMonitor health)
        => new(s_target, transport, _options, _time, (_, _) => Task.CompletedTask, NullLogger.Instance, _stopping.Token, health: health);

    /// <summary>One on-time check (one second later) with a responsive thread pool.</summary>
    private int CheckHealthy(LocalSiloHealthMonitor sut)
    {
        RunPool();
        return Tick(sut);
    }

    private int Tick(LocalSiloHealthMonitor sut)
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return sut.Check();
    }

    private void RunPool()
    {
        while (_pool.TryDequeue(out var item))
        {
            item();
        }
    }
}
