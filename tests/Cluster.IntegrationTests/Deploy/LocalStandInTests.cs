using System.Diagnostics;
using System.Net;
using System.Text;
using Cluster.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.Deploy;

/// <summary>
/// deploy/local for real: up.sh brings up PostgreSQL, 3 silos, 2 gateways and the front; the sample app answers through
/// the front; rolling-restart.sh replaces every silo and then both gateways while a steady load of our own runs through
/// the front, and no request fails; down.sh leaves no process and no data or run directory behind.
/// </summary>
[Collection(PostgresCollection.Name)] // not for the fixture: it keeps this test from running beside the other process-heavy ones
public sealed class LocalStandInTests(ITestOutputHelper output)
{
    private static readonly string s_scripts = Path.Combine(RepositoryPaths.Root, "deploy", "local");

    [Fact]
    public async Task UpRollingRestartDown_UnderLoad_ServesWithoutFailuresAndLeavesNothingBehind()
    {
        // Arrange
        var run = Path.Combine(Path.GetTempPath(), "cluster-local-test-" + Guid.NewGuid().ToString("N")[..8]);
        var clock = Stopwatch.StartNew();
        try
        {
            var up = await RunScriptAsync("up.sh", run, TimeSpan.FromMinutes(10), "--silos", "3", "--gateways", "2");
            Assert.True(up.ExitCode == 0, $"up.sh exited with {up.ExitCode}:\n{up.Output}");
            var front = new Uri(up.Output.Split('\n').Last(static l => l.StartsWith("front: ", StringComparison.Ordinal))["front: ".Length..].Trim());
            var pgdir = ReadState(run, "pgdir");
            output.WriteLine($"up after {clock.Elapsed.TotalSeconds:F0} s; front {front}, PostgreSQL data in {pgdir}");

            using var client = new HttpClient { BaseAddress = front, Timeout = TimeSpan.FromSeconds(30) };
            foreach (var (path, expected) in new[] { ("/api/products/1", "Espresso cup"), ("/api/featured", "\"id\"") })
            {
                using var response = await client.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} through the front: {(int)response.StatusCode} {body}");
                Assert.Contains(expected, body, StringComparison.Ordinal);
            }

            var started = ProcessIds(run, pgdir);

            // Act
            RunResult restart;
            await using (var load = new LoadGenerator(front, [.. SamplePaths.Idempotent, "/api/featured"], workers: 8))
            {
                await load.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));
                restart = await RunScriptAsync("rolling-restart.sh", run, TimeSpan.FromMinutes(8));
                await load.WaitForMoreSuccessesAsync(100, TimeSpan.FromSeconds(30));
                await load.StopAsync();

                // Assert
                output.WriteLine(restart.Output);
                output.WriteLine($"rolling restart under load: {load.Succeeded} requests succeeded, {load.Failures.Count} failed: {string.Join("; ", load.Failures.Take(10))}");
                Assert.True(restart.ExitCode == 0, $"rolling-restart.sh exited with {restart.ExitCode}:\n{restart.Output}");
                Assert.Empty(load.Failures);
            }

            foreach (var path in new[] { "/api/products/1", "/api/featured" })
            {
                using var response = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var all = started.Concat(ProcessIds(run, pgdir)).Distinct().ToArray();
            Assert.True(all.Length >= 2 * (1 + 3 + 2) + 1 + 2 * (3 + 2), $"expected the front, 3 + 3 silos and 2 + 2 gateways with their wrappers, and the postmaster: {string.Join(", ", all)}");
            var down = await RunScriptAsync("down.sh", run, TimeSpan.FromMinutes(3));
            output.WriteLine(down.Output);
            Assert.True(down.ExitCode == 0, $"down.sh exited with {down.ExitCode}:\n{down.Output}");
            var left = all.Where(IsAlive).ToArray();
            Assert.True(left.Length == 0, $"still running after down.sh: {string.Join(", ", left)}");
            Assert.False(Directory.Exists(run), $"{run} is still there");
            Assert.False(Directory.Exists(pgdir), $"{pgdir} is still there");
            output.WriteLine($"up, rolling restart and down in {clock.Elapsed.TotalSeconds:F0} s");
        }
        finally
        {
            if (Directory.Exists(run))
            {
                await RunScriptAsync("down.sh", run, TimeSpan.FromMinutes(3));
            }
        }
    }

    /// <summary>Every pid the run directory names (processes and their wrapper shells) and the PostgreSQL postmaster's.</summary>
    private static int[] ProcessIds(string run, string pgdir)
    {
        var pids = Directory.GetFiles(Path.Combine(run, "pids")).Select(static f => int.Parse(File.ReadAllText(f).Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var postmaster = Path.Combine(pgdir, "data", "postmaster.pid");
        Assert.True(File.Exists(postmaster), $"{postmaster} is missing: PostgreSQL is not running");
        pids.Add(int.Parse(File.ReadLines(postmaster).First(), System.Globalization.CultureInfo.InvariantCulture));
        return [.. pids];
    }

    private static string ReadState(string run, string key)
    {
        var line = File.ReadLines(Path.Combine(run, "state.env")).Last(l => l.StartsWith(key + "=", StringComparison.Ordinal));
        return line[(key.Length + 1)..].Trim('\'');
    }

    /// <summary>True while the process exists and is not a zombie (state Z in /proc/PID/stat).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task<RunResult> RunScriptAsync(string script, string run, TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root };
        info.ArgumentList.Add(Path.Combine(s_scripts, script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CLUSTER_LOCAL_DIR"] = run;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (text) { text.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (text)
            {
                throw new TimeoutException($"{script} did not finish in {timeout}:\n{text}");
            }
        }

        lock (text)
        {
            return new RunResult(process.ExitCode, text.ToString());
        }
    }

    private sealed record RunResult(int ExitCode, string Output);
}
