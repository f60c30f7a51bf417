using System.Diagnostics;
using System.Globalization;
using System.Net;
using Cluster.Grains.Routing;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// Chaos under load (orleans-runtime.md §8, P0 items 4 and 7): silos are added, stopped gracefully and killed at random
/// while two gateways carry a steady load. Only kills may cost requests, and only as 503s around the kill; afterwards
/// the cluster settles on one view, and every route grain has one activation in the whole cluster.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int MinSilos = 2;
    private const int MaxSilos = 5;
    private const string SeedVariable = "CHAOS_SEED";

    private static readonly TimeSpan s_chaosDuration = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan s_actionPeriod = TimeSpan.FromSeconds(3);

    // A failed request is the kill's if it ended between the kill's start and this long after its end. Requests on the
    // killed silo fail as its connections drop, within milliseconds; calls addressed to it later, before it is voted
    // dead, find it unreachable and are never sent, so they wait for the new owner instead of failing. The slack is for
    // the slow, shared machine; the window stays shorter than the period between actions, so it does not hide what the
    // next add or stop costs.
    private static readonly TimeSpan s_killBlame = TimeSpan.FromSeconds(2.5);

    private enum ChaosKind
    {
        Add,
        Stop,
        Kill,
    }

    [Fact]
    public async Task RandomAddsStopsAndKills_UnderLoad_CostOnly503sAroundKills_AndLeaveOneActivationPerRoute()
    {
        // Arrange: a seeded sequence of actions (set CHAOS_SEED to replay one), three silos, two gateways, load on both.
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } configured
            ? int.Parse(configured, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        output.WriteLine($"Chaos seed {seed} (replay with {SeedVariable}={seed}).");
        var random = new Random(seed);
        var total = Stopwatch.StartNew();

        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 2);
        var addresses = cluster.Silos.ToDictionary(static s => s.Name, static s => s.SiloAddress());
        await using var first = new LoadGenerator(cluster.Gateways[0].HttpAddress, SamplePaths.Idempotent, workers: 4);
        await using var second = new LoadGenerator(cluster.Gateways[1].HttpAddress, SamplePaths.Idempotent, workers: 4);
        await first.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));
        await second.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));

        // Act: an action every few seconds, one at a time; the next starts at its tick, or at once if one overran.
        var steps = new List<ChaosStep>();
        var clock = Stopwatch.StartNew();
        for (var tick = 0; clock.Elapsed < s_chaosDuration; tick++)
        {
            var due = s_actionPeriod * tick;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var step = await RunRandomStepAsync(cluster, random, addresses);
            steps.Add(step);
            output.WriteLine($"{clock.Elapsed.TotalSeconds,5:F1}s {step}");
        }

        await first.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(60));
        await second.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(60));
        await first.StopAsync();
        await second.StopAsync();
        await cluster.WaitForStableAsync(TimeSpan.FromSeconds(60));

        // Assert: every failure is a 503 that ended around a kill; adds and graceful stops lost nothing.
        var failures = first.FailureDetails.Concat(second.FailureDetails).OrderBy(static f => f.Ended).ToList();
        var kills = steps.Where(static s => s.Kind == ChaosKind.Kill).ToList();
        output.WriteLine($"{first.Succeeded + second.Succeeded} requests succeeded, {failures.Count} failed over {steps.Count} actions ({kills.Count} kills).");
        foreach (var failure in failures)
        {
            // Windows can overlap; name the latest kill that explains it.
            var kill = kills.LastOrDefault(k => k.Explains(failure));
            output.WriteLine($"  {failure}, sent {failure.Started:HH:mm:ss.fff}, ended {failure.Ended:HH:mm:ss.fff}: {kill?.ToString() ?? "no kill explains it"}");
        }

        var context = $"seed {seed}\nactions:\n{string.Join("\n", steps)}\nfailures:\n{string.Join("\n", failures.Select(static f => $"{f} ended {f.Ended:HH:mm:ss.fff}"))}";
        var unexplained = failures.Where(f => !kills.Exists(k => k.Explains(f))).ToList();
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} failures outside every kill's window:\n{context}\n{cluster.DescribeLogs()}");
        Assert.True(failures.TrueForAll(static f => f.Status == 503), $"a failure that is not a 503:\n{context}");

        // Integrity: drive every route once more through both gateways; each route grain then has exactly one
        // activation among the running silos.
        foreach (var gateway in cluster.Gateways)
        {
            using var client = new HttpClient { BaseAddress = gateway.HttpAddress, Timeout = TimeSpan.FromSeconds(40) };
            foreach (var path in SamplePaths.Idempotent)
            {
                using var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{gateway.Name} {path}: {(int)response.StatusCode}\n{context}");
            }
        }

        var running = cluster.RunningSilos.ToList();
        foreach (var pattern in SamplePaths.Idempotent.Select(SamplePaths.PatternOf).Distinct())
        {
            var grain = new GrainId(RouteGrainReference.GrainType, pattern);
            var hosts = running.Where(s => s.Services.GetRequiredService<ActivationCatalog>().TryGet(grain, out _)).Select(static s => s.Name).ToList();
            Assert.True(hosts.Count == 1, $"{grain} has {hosts.Count} activations ({string.Join(", ", hosts)}) among {running.Count} running silos.\n{context}");
        }

        // Every process's view is the table's, and every silo that left or died is Dead in it.
        var views = await ReadAgreedViewsAsync(cluster);
        var gone = cluster.Silos.Where(static s => s.IsStopped).ToList();
        foreach (var (process, view) in views)
        {
            Assert.Equal(running.Select(s => addresses[s.Name].ToString()).Order(StringComparer.Ordinal), view.ActiveSilos.Select(static a => a.ToString()));
            Assert.All(gone, silo => Assert.True(
                view.GetStatus(addresses[silo.Name]) == SiloStatus.Dead,
                $"{process} sees {silo.Name} ({addresses[silo.Name]}) as {view.GetStatus(addresses[silo.Name])}: {view}"));
        }

        output.WriteLine($"{running.Count} silos running, {gone.Count} gone; final view {views[0].View}; the test took {total.Elapsed.TotalSeconds:F0} s.");
    }

    private static async Task<ChaosStep> RunRandomStepAsync(TestCluster cluster, Random random, Dictionary<string, SiloAddress> addresses)
    {
        var running = cluster.RunningSilos.ToList();
        ChaosKind[] allowed = (running.Count <= MinSilos, running.Count >= MaxSilos) switch
        {
            (true, _) => [ChaosKind.Add],
            (_, true) => [ChaosKind.Stop, ChaosKind.Kill],
            _ => [ChaosKind.Add, ChaosKind.Stop, ChaosKind.Kill],
        };
        var kind = allowed[random.Next(allowed.Length)];
        var started = DateTime.UtcNow;
        ClusterHost target;
        switch (kind)
        {
            case ChaosKind.Add:
                target = await cluster.AddSiloAsync();
                addresses[target.Name] = target.SiloAddress();
                break;
            case ChaosKind.Stop:
                target = running[random.Next(running.Count)];
                await cluster.StopSiloAsync(target);
                break;
            default:
                target = running[random.Next(running.Count)];
                await cluster.KillSiloAsync(target);
                break;
        }

        return new ChaosStep(kind, target.Name, running.Count, cluster.RunningSilos.Count(), started, DateTime.UtcNow);
    }

    /// <summary>
    /// Brings every running process's view up to the table's version and returns them once all are the table's (a late
    /// write can land between reads, so it retries).
    /// </summary>
    private static async Task<List<(string Process, MembershipSnapshot View)>> ReadAgreedViewsAsync(TestCluster cluster)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var table = MembershipSnapshot.FromTable(await cluster.Table.ReadAllAsync(CancellationToken.None));
            var views = new List<(string Process, MembershipSnapshot View)>();
            foreach (var host in cluster.RunningSilos.Concat(cluster.Gateways))
            {
                var membership = host.Services.GetRequiredService<IClusterMembership>();
                await membership.RefreshAsync(table.Version, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                views.Add((host.Name, membership.Current));
            }

            var expected = table.ToString();
            if (views.TrueForAll(v => v.View.ToString() == expected))
            {
                return views;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The views do not agree with the table ({expected}):\n{string.Join("\n", views.Select(static v => $"{v.Process}: {v.View}"))}");
            await Task.Delay(200);
        }
    }

    /// <summary>One action of the chaos, with its time span (UTC).</summary>
    private sealed record ChaosStep(ChaosKind Kind, string Target, int SilosBefore, int SilosAfter, DateTime Started, DateTime Ended)
    {
        public bool Explains(LoadFailure failure)
            => Kind == ChaosKind.Kill && failure.Ended >= Started && failure.Ended <= Ended + s_killBlame;

        public override string ToString()
            => $"{Kind} {Target} ({SilosBefore} → {SilosAfter} running) {Started:HH:mm:ss.fff}–{Ended:HH:mm:ss.fff}";
    }
}
