using System.Diagnostics;
using System.Net;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Processes;

/// <summary>
/// Three silo processes and a gateway process over a real PostgreSQL: they serve the sample app, a silo killed with
/// SIGKILL under load costs only the requests that were on it (clear 503s) and its routes come back within 10 s, and a
/// rolling restart of every silo with SIGTERM under load loses no request.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProcessClusterTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeSiloProcesses_SurviveAKill_AndARollingRestart_UnderLoad()
    {
        await using var cluster = await ProcessCluster.StartAsync(postgres.Server, silos: 3, gateways: 1);
        var gateway = cluster.Gateways[0].HttpAddress;
        using var client = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(40) };
        foreach (var path in SamplePaths.Idempotent)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}\n{cluster.Output}");
        }

        // Kill -9 one silo under load: requests in flight on it may fail, each with a 503 and never after the 30 s
        // timeout; every route answers again within 10 s.
        await using (var load = new LoadGenerator(gateway, SamplePaths.Idempotent))
        {
            await load.WaitForMoreSuccessesAsync(200, TimeSpan.FromSeconds(30));
            var victim = cluster.Silos[0];
            var clock = Stopwatch.StartNew();
            await victim.KillAsync();
            await WaitUntilEveryRouteAnswersAsync(client, TimeSpan.FromSeconds(10), cluster);
            var recovered = clock.Elapsed;
            await load.WaitForMoreSuccessesAsync(200, TimeSpan.FromSeconds(30));
            await load.StopAsync();

            output.WriteLine(string.Join("\n", cluster.Gateways[0].Output.Split('\n').Where(static l => l.Contains("503", StringComparison.Ordinal) || l.Contains("warn", StringComparison.Ordinal)).Take(20)));
            output.WriteLine($"kill: every route answered again after {recovered.TotalSeconds:F2} s; {load.Succeeded} requests succeeded, {load.Failures.Count} failed: {string.Join("; ", load.Failures)}");
            Assert.True(recovered < TimeSpan.FromSeconds(10), $"routes recovered after {recovered}");
            Assert.All(load.Failures, failure => Assert.Contains(": 503 after", failure, StringComparison.Ordinal));
            Assert.All(load.Failures, failure => Assert.True(MillisecondsOf(failure) < 30_000, failure));
        }

        // Rolling restart, the way a Deployment rolls: a replacement starts and is ready, then the old one gets SIGTERM.
        await using (var load = new LoadGenerator(gateway, SamplePaths.Idempotent))
        {
            await load.WaitForMoreSuccessesAsync(200, TimeSpan.FromSeconds(30));
            foreach (var old in cluster.Silos.Where(static s => !s.HasExited).ToArray())
            {
                await cluster.AddSiloAsync();
                var exitCode = await old.TerminateAsync(TimeSpan.FromSeconds(90));
                Assert.True(exitCode == 0, $"{old.Name} exited with {exitCode}:\n{old.Output}");
                await load.WaitForMoreSuccessesAsync(200, TimeSpan.FromSeconds(30));
            }

            await load.StopAsync();
            output.WriteLine($"rolling restart of {cluster.Silos.Count - 1} silos: {load.Succeeded} requests succeeded, {load.Failures.Count} failed");
            Assert.True(load.Failures.Count == 0, string.Join("\n", load.Failures.Take(20)) + "\n" + cluster.Output);
        }

        // The membership store goes away: nobody can join or be declared dead, but calls keep flowing on the last view,
        // and the processes say so loudly; when it comes back, so does everything else.
        await using (var load = new LoadGenerator(gateway, SamplePaths.Idempotent))
        {
            await load.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));
            await postgres.Server.StopAsync();
            try
            {
                await load.WaitForMoreSuccessesAsync(1000, TimeSpan.FromSeconds(30));
                await Task.Delay(TimeSpan.FromSeconds(12)); // past a full membership refresh period
                await load.WaitForMoreSuccessesAsync(200, TimeSpan.FromSeconds(30));
            }
            finally
            {
                await postgres.Server.StartAsync();
            }

            await load.StopAsync();
            output.WriteLine($"store down: {load.Succeeded} requests succeeded, {load.Failures.Count} failed");
            Assert.True(load.Failures.Count == 0, string.Join("\n", load.Failures.Take(20)) + "\n" + cluster.Output);
            Assert.Contains(cluster.Silos.Concat(cluster.Gateways), static p => !p.HasExited && p.Output.Contains("warn: Cluster.Runtime.Membership", StringComparison.Ordinal));
        }
    }

    private static async Task WaitUntilEveryRouteAnswersAsync(HttpClient client, TimeSpan budget, ProcessCluster cluster)
    {
        var deadline = DateTime.UtcNow + budget + TimeSpan.FromSeconds(20);
        foreach (var path in SamplePaths.Idempotent)
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

    private static double MillisecondsOf(string failure)
    {
        var after = failure.LastIndexOf(" after ", StringComparison.Ordinal) + 7;
        var end = failure.IndexOf(" ms", after, StringComparison.Ordinal);
        return double.Parse(failure.AsSpan(after, end - after), System.Globalization.CultureInfo.InvariantCulture);
    }
}
