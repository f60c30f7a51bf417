using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class MembershipAgentTests
{
    [Fact]
    public async Task JoinAsync_ThreeSilos_AllActiveAndEverySnapshotAgrees()
    {
        await using var cluster = new MembershipTestCluster();

        var nodes = await cluster.StartSilosAsync(3);

        var table = await cluster.ReadTableAsync();
        Assert.Equal(3, table.ActiveSilos.Length);
        Assert.All(nodes, node => Assert.Equal(SiloStatus.Active, table.GetStatus(node.Address)));
        Assert.All(nodes, node => Assert.Equal(SiloStatus.Active, node.Agent.LocalStatus));

        // Each silo learns the others' joins from their notices (or its refresh) and ends on the table's exact view.
        foreach (var node in nodes)
        {
            var view = await MembershipTestCluster.WaitForViewAsync(node.Agent, s => s.Version == table.Version, $"version {table.Version}");
            Assert.Equal(table.ActiveSilos.ToArray(), view.ActiveSilos.ToArray());
        }

        // The order is deterministic (address text, ordinal), so every process indexes the same list the same way.
        var expected = nodes.Select(n => n.Address).OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, nodes[0].Agent.Current.ActiveSilos.ToArray());

        // Small cluster: everyone monitors everyone else.
        foreach (var node in nodes)
        {
            await Waits.UntilAsync(() => node.Agent.MonitoredSilos.Count == 2, "each silo monitors both others");
            Assert.DoesNotContain(node.Address, node.Agent.MonitoredSilos);
        }

        Assert.All(nodes, node => Assert.Equal(0, node.Terminator.Calls));
    }

    [Fact]
    public async Task JoinAsync_RestartOnSameEndpoint_DeclaresOlderGenerationDead()
    {
        await using var cluster = new MembershipTestCluster();
        var first = await cluster.StartSiloAsync();
        await cluster.KillAsync(first);

        // Same host:port, later generation: the restarted process.
        var restartedAddress = SiloAddress.CreateLocal(first.Address.Host, first.Address.Port, TimeProvider.System);
        Assert.True(restartedAddress.Generation > first.Address.Generation);
        var restarted = await cluster.StartSiloAsync(restartedAddress);

        var table = await cluster.ReadTableAsync();
        Assert.Equal(SiloStatus.Dead, table.GetStatus(first.Address));
        Assert.Equal(SiloStatus.Active, table.GetStatus(restarted.Address));
        Assert.True(table.TryGetEntry(first.Address, out var old));

        // Declared dead by the endpoint clean-up, which signs it like a vote so peers treat it as a failure, not a leave.
        Assert.Equal([restarted.Address], old.SuspectTimes.Select(static v => v.Voter));
        Assert.Equal(new[] { restarted.Address }, table.ActiveSilos.ToArray());
    }

    [Fact]
    public async Task JoinAsync_NewerGenerationOnSameEndpoint_ThrowsAndWritesNothing()
    {
        await using var cluster = new MembershipTestCluster();
        var port = MembershipTestCluster.NewAddress().Port;
        var newer = await cluster.StartSiloAsync(new SiloAddress("127.0.0.1", port, 2_000));
        var versionBefore = await cluster.Table.GetVersionAsync();
        var stale = cluster.CreateSilo(new SiloAddress("127.0.0.1", port, 1_000));

        var error = await Assert.ThrowsAsync<MembershipJoinException>(() => stale.Agent.JoinAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout));

        Assert.Contains(newer.Address.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Null(await cluster.Table.GetRowAsync(stale.Address));
        Assert.Equal(SiloStatus.Active, (await cluster.Table.GetRowAsync(newer.Address))!.Status);
        Assert.Equal(versionBefore, await cluster.Table.GetVersionAsync());
        Assert.NotEqual(SiloStatus.Active, stale.Agent.LocalStatus);
    }

    [Fact]
    public async Task KilledSilo_TwoVotes_DeclaredDeadEveryoneConvergesAndDisconnects()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(3);
        var (a, b, victim) = (nodes[0], nodes[1], nodes[2]);

        await cluster.KillAsync(victim);

        await cluster.WaitForTableAsync(t => t.GetStatus(victim.Address) == SiloStatus.Dead, $"{victim} Dead");
        var table = await cluster.ReadTableAsync();
        Assert.True(table.TryGetEntry(victim.Address, out var row));

        // Three active silos need min(2, (3 + 1) / 2) = 2 votes: both survivors voted.
        Assert.Equal(
            new[] { a.Address, b.Address }.OrderBy(x => x.ToString(), StringComparer.Ordinal),
            row.SuspectTimes.Select(v => v.Voter).Distinct().OrderBy(x => x.ToString(), StringComparer.Ordinal));

        foreach (var survivor in new[] { a, b })
        {
            await MembershipTestCluster.WaitForViewAsync(survivor.Agent, s => s.GetStatus(victim.Address) == SiloStatus.Dead, $"{victim} Dead");
            await Waits.UntilAsync(() => survivor.Transport.Disconnected.Contains(victim.Address), $"{survivor} disconnects {victim}");
            await Waits.UntilAsync(() => !survivor.Agent.MonitoredSilos.Contains(victim.Address), $"{survivor} stops probing {victim}");
            Assert.Equal(SiloStatus.Active, survivor.Agent.LocalStatus);
            Assert.Equal(0, survivor.Terminator.Calls);
        }

        var survivors = new[] { a.Address, b.Address }.OrderBy(x => x.ToString(), StringComparer.Ordinal);
        Assert.Equal(survivors, a.Agent.Current.ActiveSilos.ToArray());
        Assert.Equal(survivors, b.Agent.Current.ActiveSilos.ToArray());
    }

    [Fact]
    public async Task FrozenSilo_ProbesTimeOut_DeclaredDead()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(3);
        var frozen = nodes[2];

        // SIGSTOP: the process keeps its connections but answers nothing, so every probe waits out its timeout.
        cluster.Network.SetFrozen(frozen.Address, true);

        await cluster.WaitForTableAsync(t => t.GetStatus(frozen.Address) == SiloStatus.Dead, $"{frozen} Dead");

        // It reads its own row Dead (here its code keeps running; only its answers stopped) and stops instead of serving.
        Assert.Contains("Dead", await frozen.Terminator.Terminated.WaitAsync(MembershipTestCluster.WaitTimeout), StringComparison.Ordinal);
        Assert.Equal(SiloStatus.Dead, frozen.Agent.LocalStatus);
    }

    [Fact]
    public async Task IsolatedObserver_CannotGetAnyoneKilled_ThenIsVotedOutAndStops()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(3);
        var (a, b, observer) = (nodes[0], nodes[1], nodes[2]);

        // The observer loses its way out: its probes fail, while the others still reach it.
        cluster.Network.Block(observer.Address, a.Address);
        cluster.Network.Block(observer.Address, b.Address);

        // It does vote against both (proof it tried) ...
        await cluster.WaitForTableAsync(
            t => HasVoteFrom(t, a.Address, observer.Address) && HasVoteFrom(t, b.Address, observer.Address),
            $"votes from {observer} against {a} and {b}");

        // ... and keeps failing for many more probe periods, but one vote of the two needed kills nobody.
        var failuresBefore = observer.Transport.ProbeCount;
        await Waits.UntilAsync(() => observer.Transport.ProbeCount > failuresBefore + 40, "forty more failed probes");
        var table = await cluster.ReadTableAsync();
        Assert.Equal(3, table.ActiveSilos.Length);
        Assert.True(table.TryGetEntry(a.Address, out var rowA));
        Assert.Single(rowA.SuspectTimes);

        // Once the others lose it too, they gather two votes and it learns it is dead.
        cluster.Network.Block(a.Address, observer.Address);
        cluster.Network.Block(b.Address, observer.Address);
        await cluster.WaitForTableAsync(t => t.GetStatus(observer.Address) == SiloStatus.Dead, $"{observer} Dead");

        // Its refresh still reaches the store (only its silo connections are cut).
        await observer.Terminator.Terminated.WaitAsync(MembershipTestCluster.WaitTimeout);
        table = await cluster.ReadTableAsync();
        Assert.Equal(SiloStatus.Active, table.GetStatus(a.Address));
        Assert.Equal(SiloStatus.Active, table.GetStatus(b.Address));
    }

    [Fact]
    public async Task TwoSiloCluster_OneVoteSuffices()
    {
        await using var cluster = new MembershipTestCluster();
        var (survivor, victim) = (await cluster.StartSiloAsync(), await cluster.StartSiloAsync());

        await cluster.KillAsync(victim);

        await cluster.WaitForTableAsync(t => t.GetStatus(victim.Address) == SiloStatus.Dead, $"{victim} Dead");
        var table = await cluster.ReadTableAsync();
        Assert.True(table.TryGetEntry(victim.Address, out var row));
        Assert.Equal([survivor.Address], row.SuspectTimes.Select(v => v.Voter).Distinct());
        Assert.Equal(new[] { survivor.Address }, table.ActiveSilos.ToArray());
    }

    [Fact]
    public async Task WholeClusterRestart_AllOldRowsStale_OneNewSiloJoinsAndDeclaresThemDead()
    {
        await using var cluster = new MembershipTestCluster();
        var longAgo = TimeProvider.System.GetUtcNow() - TimeSpan.FromHours(1);
        var oldSilos = Enumerable.Range(0, 3).Select(_ => MembershipTestCluster.NewAddress()).ToArray();
        foreach (var old in oldSilos)
        {
            // Processes that no longer exist: Active rows whose I-am-alive stopped an hour ago; nothing answers there.
            await cluster.Table.InsertAsync(new MembershipEntry { SiloAddress = old, Status = SiloStatus.Active, StartTime = longAgo, IAmAliveTime = longAgo });
        }

        var fresh = await cluster.StartSiloAsync();

        Assert.Equal(SiloStatus.Active, fresh.Agent.LocalStatus);
        await cluster.WaitForTableAsync(t => oldSilos.All(old => t.GetStatus(old) == SiloStatus.Dead), "every old row Dead");
        var table = await cluster.ReadTableAsync();
        Assert.Equal(new[] { fresh.Address }, table.ActiveSilos.ToArray());
        foreach (var old in oldSilos)
        {
            Assert.True(table.TryGetEntry(old, out var row));
            Assert.Equal([fresh.Address], row.SuspectTimes.Select(v => v.Voter).Distinct());
        }
    }

    [Fact]
    public async Task JoinAsync_ActivePeerUnreachable_FailsAfterBudgetAndLeavesRowDead()
    {
        await using var cluster = new MembershipTestCluster(o => o.MaxJoinAttemptTime = TimeSpan.FromSeconds(1));
        var peer = await cluster.StartSiloAsync();
        var joiner = cluster.CreateSilo();
        cluster.Network.Block(joiner.Address, peer.Address);

        var error = await Assert.ThrowsAsync<MembershipJoinException>(() => joiner.Agent.JoinAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout));

        Assert.Contains(peer.Address.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(SiloStatus.Dead, (await cluster.Table.GetRowAsync(joiner.Address))!.Status);
        Assert.DoesNotContain(cluster.Table.Writes, w => w.SiloAddress.Equals(joiner.Address) && w.Status == SiloStatus.Active);
        Assert.Equal(SiloStatus.Active, (await cluster.Table.GetRowAsync(peer.Address))!.Status);
    }

    [Fact]
    public async Task OwnRowDead_WhileActive_TerminatesAndWritesNothingMore()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(2);
        var victim = nodes[1];

        // Another process declares it dead (as votes would) and tells it.
        var version = await cluster.Table.WriteStatusAsync(victim.Address, SiloStatus.Dead);
        var writesBefore = cluster.Table.Writes.Count;
        victim.Agent.OnPeerNotified(version);

        var reason = await victim.Terminator.Terminated.WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Contains(victim.Address.ToString(), reason, StringComparison.Ordinal);
        Assert.True(victim.Agent.IsTerminated);
        Assert.Equal(SiloStatus.Dead, victim.Agent.LocalStatus);
        Assert.Empty(victim.Agent.MonitoredSilos);

        // Its graceful stop path afterwards must not touch its row either.
        await victim.Agent.ShutDownAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        await victim.Agent.LeaveAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.DoesNotContain(cluster.Table.Writes.Skip(writesBefore), w => w.SiloAddress.Equals(victim.Address));
        Assert.Equal(1, victim.Terminator.Calls);
        Assert.Equal(SiloStatus.Dead, (await cluster.Table.GetRowAsync(victim.Address))!.Status);
    }

    [Fact]
    public async Task OwnRowDead_WhileJoining_JoinThrowsAndNeverWritesActive()
    {
        await using var cluster = new MembershipTestCluster(o => o.MaxJoinAttemptTime = TimeSpan.FromSeconds(20));
        var peer = await cluster.StartSiloAsync();
        var joiner = cluster.CreateSilo();

        // The joiner cannot reach the peer, so it stays Joining, retrying its connectivity check.
        cluster.Network.Block(joiner.Address, peer.Address);
        var join = joiner.Agent.JoinAsync(CancellationToken.None);
        await cluster.WaitForTableAsync(t => t.GetStatus(joiner.Address) == SiloStatus.Joining, $"{joiner} Joining");

        // It is declared dead meanwhile; then the way to the peer opens, so only the Dead row stands between it and Active.
        await cluster.Table.WriteStatusAsync(joiner.Address, SiloStatus.Dead);
        cluster.Network.Block(joiner.Address, peer.Address, blocked: false);

        await Assert.ThrowsAsync<MembershipJoinException>(() => join.WaitAsync(MembershipTestCluster.WaitTimeout));
        await joiner.Terminator.Terminated.WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.DoesNotContain(cluster.Table.Writes, w => w.SiloAddress.Equals(joiner.Address) && w.Status == SiloStatus.Active);
        Assert.Equal(SiloStatus.Dead, (await cluster.Table.GetRowAsync(joiner.Address))!.Status);
        Assert.Equal(SiloStatus.Dead, joiner.Agent.LocalStatus);
    }

    [Fact]
    public async Task IAmAlive_WritesTimeWithoutBumpingVersion()
    {
        await using var cluster = new MembershipTestCluster();
        var node = await cluster.StartSiloAsync();
        var before = (await cluster.Table.GetRowAsync(node.Address))!;
        var versionBefore = await cluster.Table.GetVersionAsync();

        await cluster.WaitForTableAsync(
            t => t.TryGetEntry(node.Address, out var row) && row.IAmAliveTime > before.IAmAliveTime,
            "a newer I-am-alive time");
        await cluster.WaitForTableAsync(
            t => t.TryGetEntry(node.Address, out var row) && row.IAmAliveTime > before.IAmAliveTime + cluster.Options.IAmAlivePeriod,
            "a second I-am-alive write");

        Assert.Equal(versionBefore, await cluster.Table.GetVersionAsync());
        Assert.Equal(SiloStatus.Active, (await cluster.Table.GetRowAsync(node.Address))!.Status);
    }

    [Fact]
    public async Task ShutDownThenLeave_RowGoesShuttingDownThenDead_PeersSeeBoth()
    {
        await using var cluster = new MembershipTestCluster();
        var (peer, leaving) = (await cluster.StartSiloAsync(), await cluster.StartSiloAsync());

        await leaving.Agent.ShutDownAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        Assert.Equal(SiloStatus.ShuttingDown, (await cluster.Table.GetRowAsync(leaving.Address))!.Status);
        Assert.Equal(SiloStatus.ShuttingDown, leaving.Agent.LocalStatus);
        var view = await MembershipTestCluster.WaitForViewAsync(peer.Agent, s => s.GetStatus(leaving.Address) == SiloStatus.ShuttingDown, "ShuttingDown");
        Assert.DoesNotContain(leaving.Address, view.ActiveSilos);

        // A shutting-down silo no longer probes (or votes); the peer keeps probing it until it is gone.
        Assert.Empty(leaving.Agent.MonitoredSilos);

        await leaving.Agent.LeaveAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        var row = (await cluster.Table.GetRowAsync(leaving.Address))!;
        Assert.Equal(SiloStatus.Dead, row.Status);
        Assert.Empty(row.SuspectTimes);
        await MembershipTestCluster.WaitForViewAsync(peer.Agent, s => s.GetStatus(leaving.Address) == SiloStatus.Dead, "Dead");

        // A graceful leaver answers what it received and closes its own connections; the peer must not cut them short.
        Assert.DoesNotContain(leaving.Address, peer.Transport.Disconnected);
        Assert.Equal(0, leaving.Terminator.Calls);
        Assert.Equal(0, peer.Terminator.Calls);

        // Ordered writes of the leaving silo's row: Joining, Active, ShuttingDown, Dead.
        Assert.Equal(
            [SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Dead],
            cluster.Table.Writes.Where(w => w.SiloAddress.Equals(leaving.Address)).Select(w => w.Status));
    }

    [Fact]
    public async Task StoreDown_KeepsLastViewAndDeclaresNobody_RecoversWhenBack()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(3);
        var (a, b, victim) = (nodes[0], nodes[1], nodes[2]);
        await MembershipTestCluster.WaitForViewAsync(a.Agent, s => s.ActiveSilos.Length == 3, "three active silos");
        var viewBefore = a.Agent.Current;

        cluster.Table.IsDown = true;
        await cluster.KillAsync(victim);

        // The survivors miss their probes and try to vote, but nothing can be written: no fake success, no crash.
        var probesBefore = a.Transport.ProbeCount;
        await Waits.UntilAsync(() => a.Transport.ProbeCount > probesBefore + 40, "forty more probes while the store is down");
        Assert.Equal(viewBefore.Version, a.Agent.Current.Version);
        Assert.Equal(viewBefore.ActiveSilos.ToArray(), a.Agent.Current.ActiveSilos.ToArray());
        Assert.Equal(SiloStatus.Active, (await cluster.Table.GetRowAsync(victim.Address))!.Status);
        Assert.All(new[] { a, b }, node => Assert.Equal(0, node.Terminator.Calls));
        Assert.All(new[] { a, b }, node => Assert.Equal(SiloStatus.Active, node.Agent.LocalStatus));

        cluster.Table.IsDown = false;

        await MembershipTestCluster.WaitForViewAsync(a.Agent, s => s.GetStatus(victim.Address) == SiloStatus.Dead, $"{victim} Dead");
        await MembershipTestCluster.WaitForViewAsync(b.Agent, s => s.GetStatus(victim.Address) == SiloStatus.Dead, $"{victim} Dead");
    }

    [Fact]
    public async Task OnConnectionFailed_MonitoredHealthyPeer_ProbesAtOnce()
    {
        // Probing every 10 minutes, so any probe seen here was brought forward by the connection failure.
        await using var cluster = new MembershipTestCluster(o =>
        {
            o.ProbePeriod = TimeSpan.FromMinutes(10);
            o.DeathVoteExpiration = TimeSpan.FromHours(1);
        });
        var (a, b) = (await cluster.StartSiloAsync(), await cluster.StartSiloAsync());
        await Waits.UntilAsync(() => a.Agent.MonitoredSilos.Contains(b.Address), $"{a} monitors {b}");
        var before = a.Transport.Probed.Count(t => t.Equals(b.Address));

        a.Agent.OnConnectionFailed(b.Address);

        await Waits.UntilAsync(() => a.Transport.Probed.Count(t => t.Equals(b.Address)) > before, "an immediate probe");
    }

    private static bool HasVoteFrom(MembershipSnapshot table, SiloAddress target, SiloAddress voter)
        => table.TryGetEntry(target, out var row) && row.SuspectTimes.Any(v => v.Voter.Equals(voter));
}
