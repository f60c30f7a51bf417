using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Tests.Placement;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Runtime.Tests.Activation;

/// <summary>
/// Where a silo of a cluster runs stateless-worker calls (orleans-runtime.md §2.5): on itself while it is Active,
/// otherwise on the Active silos in turn — never by hashing to one owner — and no ownership rule ever refuses or moves
/// its workers. The other silos are a recording transport; membership views are published by hand.
/// </summary>
public sealed class StatelessWorkerPlacementTests : IAsyncDisposable
{
    private static readonly SiloAddress s_other1 = new("127.0.0.1", 30001, 1);
    private static readonly SiloAddress s_other2 = new("127.0.0.1", 30002, 1);

    private readonly FakeClusterMembership _membership = new(MembershipSnapshot.Empty);
    private readonly RecordingTransport _transport = new();
    private readonly ServiceProvider _silo;
    private readonly SiloAddress _local;

    public StatelessWorkerPlacementTests()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new WorkerProbe());
        services.AddSingleton(new GrainProbe());
        services.AddClusterRuntime()
            .AddGrain<DefaultStatelessWorkerGrain>(DefaultStatelessWorkerGrain.Type)
            .AddGrain<StatelessWorkerGrain>(StatelessWorkerGrain.Type)
            .AddGrain<ProbeGrain>(ProbeGrain.Type);
        services.Replace(ServiceDescriptor.Singleton<IMembershipTable>(new InMemoryMembershipTable(isShared: true)));
        services.Replace(ServiceDescriptor.Singleton<IClusterMembership>(_membership));
        services.Replace(ServiceDescriptor.Singleton<IClusterTransport>(_transport));
        _silo = services.BuildServiceProvider();
        var status = _silo.GetRequiredService<LocalSiloStatus>();
        status.TryAdvance(SiloStatus.Active);
        _local = status.SiloAddress;
    }

    private IGrainCallInvoker Invoker => _silo.GetRequiredService<IGrainCallInvoker>();

    [Fact]
    public async Task Invoke_LocalSiloActive_RunsEveryWorkerCallHere()
    {
        _membership.Publish(Snapshot(1, _local, s_other1, s_other2));
        var grain = new GrainId(DefaultStatelessWorkerGrain.Type, "w");

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(i, await Invoker.InvokeAsync<Ping, int>(grain, new Ping(i), CancellationToken.None).AsTask().WithTimeout());
        }

        Assert.Empty(_transport.Sent);
        Assert.True(_silo.GetRequiredService<ActivationCatalog>().TryGetPool(grain, out _));
    }

    [Fact]
    public async Task Invoke_LocalSiloNotActive_SpreadsWorkerCallsOverTheActiveSilosInTurn_WhileAnOrdinaryGrainKeepsOneOwner()
    {
        _membership.Publish(Snapshot(1, s_other1, s_other2));
        var worker = new GrainId(DefaultStatelessWorkerGrain.Type, "w");
        var ordinary = new GrainId(ProbeGrain.Type, "p");

        var ranOn = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            ranOn.Add(await Invoker.InvokeAsync<Ping, int>(worker, new Ping(i), CancellationToken.None).AsTask().WithTimeout());
        }

        var ordinaryRanOn = new List<int>();
        for (var i = 0; i < 10; i++)
        {
            ordinaryRanOn.Add(await Invoker.InvokeAsync<RecordRequest, int>(ordinary, new RecordRequest(i), CancellationToken.None).AsTask().WithTimeout());
        }

        // Round-robin: the silos alternate, five calls each.
        Assert.Equal(5, ranOn.Count(static p => p == s_other1.Port));
        Assert.Equal(5, ranOn.Count(static p => p == s_other2.Port));
        Assert.All(ranOn.Zip(ranOn.Skip(1)), static pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Single(ordinaryRanOn.Distinct());
    }

    [Fact]
    public async Task Invoke_ASiloRefusesAWorkerCallUnstarted_TheCallRunsOnTheNextSilo()
    {
        _membership.Publish(Snapshot(1, s_other1, s_other2));
        _transport.Refusing[s_other1] = true;
        var grain = new GrainId(DefaultStatelessWorkerGrain.Type, "w");

        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(s_other2.Port, await Invoker.InvokeAsync<Ping, int>(grain, new Ping(i), CancellationToken.None).AsTask().WithTimeout());
        }

        // Every refused call was sent on at once, without waiting for a new view.
        Assert.Equal(6, _transport.Sent.Count(static s => s.Equals(s_other2)));
        Assert.InRange(_transport.Sent.Count(static s => s.Equals(s_other1)), 1, 6);
    }

    [Fact]
    public async Task InboundCall_WorkerGrainWhoseHashOwnerIsAnotherSilo_RunsHere_AnOrdinaryGrainIsRefused()
    {
        var view = Snapshot(1, _local, s_other1);
        _membership.Publish(view);
        var handler = _silo.GetRequiredService<IInboundCallHandler>();
        var info = new InboundCallInfo(1, "test");
        var worker = OwnedBy(new PlacementView(view), s_other1, DefaultStatelessWorkerGrain.Type);
        var ordinary = OwnedBy(new PlacementView(view), s_other1, ProbeGrain.Type);

        Assert.Equal(3, await handler.InvokeAsync<Ping, int>(worker, new Ping(3), info, CancellationToken.None).AsTask().WithTimeout());
        await Assert.ThrowsAsync<GrainNotOwnedException>(
            () => handler.InvokeAsync<RecordRequest, int>(ordinary, new RecordRequest(3), info, CancellationToken.None).AsTask().WithTimeout());
    }

    [Fact]
    public async Task NewViewGivesTheGrainsHashToAnotherSilo_WorkersStayAndTheirPoolStillGrows()
    {
        // Arrange: a busy worker of a grain id this silo owns by hash while it is alone.
        var alone = Snapshot(1, _local);
        var both = Snapshot(2, _local, s_other1);
        _membership.Publish(alone);
        var grain = OwnedBy(new PlacementView(both), s_other1, StatelessWorkerGrain.Type);
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Invoker.InvokeAsync<WaitRequest, int>(grain, new WaitRequest(tracker, release.Task), CancellationToken.None).AsTask();
        await tracker.WhenEnteredAsync(1).WithTimeout();
        Assert.True(_silo.GetRequiredService<ActivationCatalog>().TryGetPool(grain, out var pool));

        // Act: a view in which another silo would own the grain (an ordinary activation would deactivate now).
        _membership.Publish(both);

        // Assert: the worker is untouched, and a second worker is still admitted here.
        Assert.Equal(ActivationState.Valid, Assert.Single(pool.Workers).State);
        var second = Invoker.InvokeAsync<WaitRequest, int>(grain, new WaitRequest(tracker, release.Task), CancellationToken.None).AsTask();
        await tracker.WhenEnteredAsync(2).WithTimeout();
        Assert.Equal(2, pool.Workers.Count);
        Assert.Empty(_transport.Sent);
        release.SetResult();
        Assert.Equal([1, 2], (await Task.WhenAll(first, second).WithTimeout()).Order());
        Assert.Empty(_silo.GetRequiredService<WorkerProbe>().Deactivations);
    }

    public ValueTask DisposeAsync() => _silo.DisposeAsync();

    private static MembershipSnapshot Snapshot(int version, params SiloAddress[] active)
        => new(version, active.Select(static s => new MembershipEntry { SiloAddress = s, Status = SiloStatus.Active }));

    private static GrainId OwnedBy(PlacementView view, SiloAddress owner, GrainType type)
    {
        for (var i = 0; ; i++)
        {
            var id = new GrainId(type, "g" + i);
            if (owner.Equals(view.GetOwner(id)))
            {
                return id;
            }
        }
    }
}
