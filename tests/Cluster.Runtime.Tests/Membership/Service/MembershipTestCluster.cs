using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>
/// Silos sharing one real in-memory table and one fake network, with short periods so the protocol runs many rounds
/// in a test. Waits are bounded generously (the machine is shared and slow); they bound correctness, not speed.
/// </summary>
internal sealed class MembershipTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private static int s_nextPort = 20_000;
    private readonly List<TestSiloNode> _nodes = [];
    private readonly TimeProvider _timeProvider;

    public MembershipTestCluster(Action<ClusterMembershipOptions>? configure = null, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        configure?.Invoke(Options);
    }

    public TestMembershipTable Table { get; } = new();

    public FakeClusterNetwork Network { get; } = new();

    /// <summary>
    /// Fast probing; rows go stale only after 10 s without I-am-alive, far beyond any scheduling hiccup, so a slow
    /// machine never makes live silos look stale (which would lower the votes needed).
    /// </summary>
    public ClusterMembershipOptions Options { get; } = new()
    {
        ProbePeriod = TimeSpan.FromMilliseconds(50),
        ProbeTimeout = TimeSpan.FromMilliseconds(100),
        NumMissedProbesLimit = 3,
        IAmAlivePeriod = TimeSpan.FromMilliseconds(200),
        NumMissedTableIAmAliveLimit = 50,
        RefreshPeriod = TimeSpan.FromMilliseconds(200),
        DeathVoteExpiration = TimeSpan.FromSeconds(60),
        MaxJoinAttemptTime = TimeSpan.FromSeconds(10),
    };

    public IReadOnlyList<TestSiloNode> Nodes => _nodes;

    public static SiloAddress NewAddress() => SiloAddress.CreateLocal("127.0.0.1", Interlocked.Increment(ref s_nextPort), TimeProvider.System);

    public TestSiloNode CreateSilo(SiloAddress? address = null, Action<ClusterMembershipOptions>? configure = null)
    {
        address ??= NewAddress();
        var options = Clone(Options);
        configure?.Invoke(options);
        var transport = Network.CreateTransport(address);
        var terminator = new RecordingTerminator();
        var agent = new MembershipAgent(
            Table,
            address,
            $"silo-{address.Port}",
            transport,
            Microsoft.Extensions.Options.Options.Create(options),
            _timeProvider,
            NullLogger<MembershipAgent>.Instance,
            terminator);
        var node = new TestSiloNode(agent, transport, terminator);
        Network.SetAlive(address, true);
        Network.Register(address, agent);
        lock (_nodes)
        {
            _nodes.Add(node);
        }

        return node;
    }

    public async Task<TestSiloNode> StartSiloAsync(SiloAddress? address = null, Action<ClusterMembershipOptions>? configure = null)
    {
        var node = CreateSilo(address, configure);
        await node.Agent.JoinAsync(CancellationToken.None).WaitAsync(WaitTimeout);
        return node;
    }

    public async Task<TestSiloNode[]> StartSilosAsync(int count)
    {
        var nodes = new TestSiloNode[count];
        for (var i = 0; i < count; i++)
        {
            nodes[i] = await StartSiloAsync();
        }

        return nodes;
    }

    /// <summary>The process dies: it stops answering at once and runs no more code (no table writes).</summary>
    public async Task KillAsync(TestSiloNode node)
    {
        Network.SetAlive(node.Address, false);
        Network.Unregister(node.Address);
        await node.Agent.DisposeAsync();
    }

    public MembershipClient CreateClient(Action<ClusterMembershipOptions>? configure = null, FakeClusterTransport? transport = null)
    {
        var options = Clone(Options);
        configure?.Invoke(options);
        return new MembershipClient(
            Table, Microsoft.Extensions.Options.Options.Create(options), _timeProvider, NullLogger<MembershipClient>.Instance, transport);
    }

    /// <summary>Waits until <paramref name="membership"/> publishes a view that satisfies <paramref name="predicate"/>.</summary>
    public static async Task<MembershipSnapshot> WaitForViewAsync(IClusterMembership membership, Func<MembershipSnapshot, bool> predicate, string what)
    {
        var seen = new TaskCompletionSource<MembershipSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(MembershipSnapshot snapshot)
        {
            if (predicate(snapshot))
            {
                seen.TrySetResult(snapshot);
            }
        }

        membership.Changed += OnChanged;
        try
        {
            var current = membership.Current;
            if (predicate(current))
            {
                return current;
            }

            try
            {
                return await seen.Task.WaitAsync(WaitTimeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"No view with {what} within {WaitTimeout}; the last one was {membership.Current}.");
            }
        }
        finally
        {
            membership.Changed -= OnChanged;
        }
    }

    /// <summary>Polls the table (which has no events) until <paramref name="condition"/> holds.</summary>
    public async Task WaitForTableAsync(Func<MembershipSnapshot, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + WaitTimeout;
        while (true)
        {
            var snapshot = await ReadTableAsync();
            if (condition(snapshot))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The table never showed {what} within {WaitTimeout}; it holds {snapshot}.");
            }

            await Task.Delay(25);
        }
    }

    public async Task<MembershipSnapshot> ReadTableAsync()
    {
        // Straight from the store, as another process would see it, whatever the agents' views say.
        var data = await Table.Inner.ReadAllAsync(CancellationToken.None);
        return new MembershipSnapshot(data.Version.Version, data.Entries.Select(static row => row.Entry));
    }

    public async ValueTask DisposeAsync()
    {
        TestSiloNode[] nodes;
        lock (_nodes)
        {
            nodes = [.. _nodes];
        }

        foreach (var node in nodes)
        {
            await node.Agent.DisposeAsync();
        }
    }

    private static ClusterMembershipOptions Clone(ClusterMembershipOptions source) => new()
    {
        ProbePeriod = source.ProbePeriod,
        ProbeTimeout = source.ProbeTimeout,
        NumMissedProbesLimit = source.NumMissedProbesLimit,
        NumVotesForDeathDeclaration = source.NumVotesForDeathDeclaration,
        NumProbedSilos = source.NumProbedSilos,
        DeathVoteExpiration = source.DeathVoteExpiration,
        IAmAlivePeriod = source.IAmAlivePeriod,
        NumMissedTableIAmAliveLimit = source.NumMissedTableIAmAliveLimit,
        RefreshPeriod = source.RefreshPeriod,
        MaxJoinAttemptTime = source.MaxJoinAttemptTime,
        EnableIndirectProbes = source.EnableIndirectProbes,
    };
}
