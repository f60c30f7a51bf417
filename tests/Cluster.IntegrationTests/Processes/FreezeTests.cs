using System.Diagnostics;
using System.Net;
using Cluster.Grains.Routing;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Membership.Postgres;
using Cluster.Runtime.Placement;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Processes;

/// <summary>
/// A silo process frozen with SIGSTOP (orleans-runtime.md §8, P0 item 4(c)), over a real PostgreSQL: a pause shorter
/// than failure detection costs nothing and evicts nobody; a longer one gets it voted Dead, its routes serve from the
/// others while it is still frozen, and on SIGCONT it reads its own Dead row and exits by itself.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FreezeTests(PostgresFixture postgres, ITestOutputHelper output)
{
    // Detection of a frozen silo takes a probe period and three 2 s probe timeouts plus a vote (≈ 7–8 s): 2 s is well
    // inside it, 15 s well beyond it.
    private static readonly TimeSpan s_shortFreeze = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_longFreeze = TimeSpan.FromSeconds(15);

    // How long the short freeze's victim is watched afterwards: past the whole detection window, had it started during
    // the freeze, so a vote-out that was coming would show.
    private static readonly TimeSpan s_watchAfterShortFreeze = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FrozenSilo_ShorterThanDetection_StaysActive_LongerIsVotedDead_AndExitsByItselfOnThaw()
    {
        // Arrange: three silos and a gateway; the victim is the silo that owns the most sample routes.
        await using var cluster = await ProcessCluster.StartAsync(postgres.Server, silos: 3, gateways: 1);
        await using var table = new PostgresMembershipTable(cluster.ConnectionString, cluster.ClusterId, NullLogger.Instance);
        using var client = new HttpClient { BaseAddress = cluster.Gateways[0].HttpAddress, Timeout = TimeSpan.FromSeconds(40) };
        foreach (var path in SamplePaths.Idempotent)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}\n{cluster.Output}");
        }

        var before = await ReadTableAsync(table);
        Assert.True(before.ActiveSilos.Length == 3, before.ToString());
        var placement = new PlacementView(before);
        var owners = SamplePaths.Idempotent.ToLookup(p => placement.GetOwner(new GrainId(RouteGrainReference.GrainType, SamplePaths.PatternOf(p)))!);
        var victimAddress = owners.OrderByDescending(static o => o.Count()).First().Key;
        var victimPaths = owners[victimAddress].ToArray();
        var victim = cluster.Silos.Single(s => s.SiloPort == victimAddress.Port);
        var others = before.ActiveSilos.Where(a => !a.Equals(victimAddress)).ToArray();
        output.WriteLine($"victim {victim.Name} ({victimAddress}) owns {string.Join(", ", victimPaths)}; table {before}");

        await using var load = new LoadGenerator(cluster.Gateways[0].HttpAddress, SamplePaths.Idempotent, workers: 4);
        await load.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));

        // Act 1: a pause shorter than detection.
        await victim.FreezeAsync();
        try
        {
            await Task.Delay(s_shortFreeze);
        }
        finally
        {
            await victim.ThawAsync();
        }

        // Assert 1: it stays Active in the table all along (and the others with it), it is ready, and no request failed:
        // those it held were only late.
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < s_watchAfterShortFreeze)
        {
            var now = await ReadTableAsync(table);
            Assert.True(before.ActiveSilos.All(a => now.GetStatus(a) == SiloStatus.Active), $"after a {s_shortFreeze.TotalSeconds:F0} s freeze: {now}\n{cluster.Output}");
            await Task.Delay(250);
        }

        Assert.False(victim.HasExited, victim.Output);
        using (var ready = await client.GetAsync(new Uri(victim.HttpAddress, "/_cluster/readyz")))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        await load.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));
        Assert.True(load.Failures.Count == 0, $"after the short freeze: {string.Join("\n", load.Failures.Take(20))}\n{cluster.Output}");
        output.WriteLine($"short freeze: {load.Succeeded} requests succeeded, none failed; votes on the victim: {Votes(await ReadTableAsync(table), victimAddress)}");

        // Act 2: a pause longer than detection.
        var outputBeforeThaw = victim.Output.Length;
        var frozen = Stopwatch.StartNew();
        TimeSpan votedDeadAfter;
        await victim.FreezeAsync();
        try
        {
            // Assert 2: the others vote it Dead while it is frozen, stay Active themselves, and serve its routes.
            MembershipSnapshot dead;
            while ((dead = await ReadTableAsync(table)).GetStatus(victimAddress) != SiloStatus.Dead)
            {
                Assert.True(frozen.Elapsed < TimeSpan.FromSeconds(30), $"not voted dead after {frozen.Elapsed} frozen: {dead}\n{cluster.Output}");
                await Task.Delay(100);
            }

            votedDeadAfter = frozen.Elapsed;
            Assert.All(others, a => Assert.Equal(SiloStatus.Active, dead.GetStatus(a)));
            await EveryPathAnswersAsync(client, victimPaths, cluster);
            Assert.False(victim.HasExited);

            if (frozen.Elapsed < s_longFreeze)
            {
                await Task.Delay(s_longFreeze - frozen.Elapsed);
            }
        }
        finally
        {
            if (!victim.HasExited)
            {
                await victim.ThawAsync();
            }
        }

        // Assert 3: once thawed it reads its own Dead row and stops by itself with a failure code, never writing Active
        // again; the others stay Active and the cluster serves everything.
        var frozenFor = frozen.Elapsed;
        var exitCode = await victim.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var exitedAfterThaw = frozen.Elapsed - frozenFor;
        var afterThaw = victim.Output[outputBeforeThaw..];
        Assert.True(exitCode != 0, $"{victim.Name} exited with 0 after it was voted dead:\n{afterThaw}");
        Assert.Contains("has been declared dead by the cluster and stops now", afterThaw, StringComparison.Ordinal);
        Assert.DoesNotContain("is Active in the cluster", afterThaw, StringComparison.Ordinal);
        Assert.DoesNotContain("wrote itself Active", afterThaw, StringComparison.Ordinal);

        var after = await ReadTableAsync(table);
        Assert.Equal(SiloStatus.Dead, after.GetStatus(victimAddress));
        Assert.All(others, a => Assert.Equal(SiloStatus.Active, after.GetStatus(a)));
        Assert.True(after.ActiveSilos.Length == 2, after.ToString());

        await EveryPathAnswersAsync(client, SamplePaths.Idempotent, cluster);
        await load.WaitForMoreSuccessesAsync(200, TimeSpan.FromSeconds(30));
        await load.StopAsync();

        // Requests the gateway had sent to the frozen silo fail once it is declared dead, as clear 503s.
        Assert.All(load.FailureDetails, f => Assert.True(f.Status == 503, f.ToString()));
        output.WriteLine(
            $"long freeze: voted dead after {votedDeadAfter.TotalSeconds:F1} s, thawed after {frozenFor.TotalSeconds:F1} s, " +
            $"exited with {exitCode} {exitedAfterThaw.TotalSeconds:F1} s later; {load.Succeeded} requests succeeded, " +
            $"{load.Failures.Count} failed: {string.Join("; ", load.FailureDetails)}");
    }

    private static async Task<MembershipSnapshot> ReadTableAsync(PostgresMembershipTable table)
        => MembershipSnapshot.FromTable(await table.ReadAllAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

    private static string Votes(MembershipSnapshot snapshot, SiloAddress silo)
        => snapshot.TryGetEntry(silo, out var entry) ? entry.SuspectTimes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no row";

    /// <summary>Each path answers 200 (retrying while the gateway's view catches up), within a generous bound.</summary>
    private static async Task EveryPathAnswersAsync(HttpClient client, IEnumerable<string> paths, ProcessCluster cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var path in paths)
        {
            while (true)
            {
                using var response = await client.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"{path} still answers {(int)response.StatusCode}\n{cluster.Output}");
                await Task.Delay(100);
            }
        }
    }
}
