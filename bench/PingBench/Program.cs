using System.Diagnostics;
using System.Globalization;
using System.Net;
using Cluster.PingBench;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;

// Usage:
//   dotnet run -c Release --project bench/PingBench -- [--callers 100] [--seconds 10] [--warmup 3] [--payload 64]
//       runs a listener and a client in this process over loopback (the default);
//   ... -- --serve --port 11111                        runs only the silo side (prints its address);
//   ... -- --target 127.0.0.1:11111@<generation>       runs only the client side against it.
var settings = Settings.Parse(args);
await using var silo = settings.Target is null ? await StartSiloAsync(settings.Port) : null;
if (settings.Serve)
{
    Console.WriteLine($"Serving {silo!.Address}; press Ctrl+C to stop.");
    var stop = new TaskCompletionSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    await stop.Task;
    return;
}

var target = settings.Target ?? silo!.Address;
await using var client = CreateServices(ClusterTransportIdentity.ForClient("pingbench"), handler: null);
var transport = client.GetRequiredService<IClusterTransport>();
var grain = new GrainId(new GrainType("ping"), "bench");
var request = new PingRequest(new byte[settings.Payload]);

Console.WriteLine($"{settings.Callers} closed-loop callers, {settings.Payload}-byte payload, target {target}, " +
    $"{Environment.ProcessorCount} cores; warm-up {settings.Warmup} s, measured {settings.Seconds} s.");
await RunAsync(settings.Warmup, record: false);
var (calls, elapsed, latencies, allocated) = await RunAsync(settings.Seconds, record: true);
latencies.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{calls} calls in {elapsed.TotalSeconds:F2} s: {calls / elapsed.TotalSeconds:F0} calls/s; " +
    $"latency p50 {Percentile(latencies, 0.50):F3} ms, p90 {Percentile(latencies, 0.90):F3} ms, p99 {Percentile(latencies, 0.99):F3} ms, " +
    $"max {latencies[^1] / (Stopwatch.Frequency / 1000.0):F3} ms; mean {elapsed.TotalMilliseconds * settings.Callers / calls:F3} ms (Little's law); " +
    $"{(double)allocated / calls:F0} bytes allocated per call in this process ({(settings.Target is null ? "both sides" : "client side")}, benchmark's own loop included)."));

async Task<(long Calls, TimeSpan Elapsed, List<long> Latencies, long Allocated)> RunAsync(int seconds, bool record)
{
    // The latency lists are allocated up front (room for 10,000 calls/s per caller), so the allocation count is the calls' own.
    var perCaller = Enumerable.Range(0, settings.Callers).Select(_ => new List<long>(record ? seconds * 10_000 : 1_000)).ToArray();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
    var started = Stopwatch.GetTimestamp();
    var loops = Enumerable.Range(0, settings.Callers).Select(i => Task.Run(async () =>
    {
        var mine = perCaller[i];
        while (!stop.IsCancellationRequested)
        {
            var begin = Stopwatch.GetTimestamp();
            await transport.InvokeAsync<PingRequest, PingRequest>(target, grain, request, 1, CancellationToken.None);
            if (record)
            {
                mine.Add(Stopwatch.GetTimestamp() - begin);
            }
            else if (mine.Count < mine.Capacity)
            {
                mine.Add(0);
            }
        }
    })).ToArray();
    await Task.WhenAll(loops);
    var elapsed = Stopwatch.GetElapsedTime(started);
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var all = new List<long>(perCaller.Sum(l => l.Count));
    foreach (var list in perCaller)
    {
        all.AddRange(list);
    }

    return (all.Count, elapsed, all, allocated);
}

static double Percentile(List<long> sorted, double p)
    => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))] / (Stopwatch.Frequency / 1000.0);

static async Task<Silo> StartSiloAsync(int port)
{
    var identity = new ClusterTransportIdentity("pingbench-silo");
    var services = CreateServices(identity, new EchoHandler());
    var listener = services.GetRequiredService<ClusterListener>();
    await listener.StartAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None);
    identity.SiloAddress = new SiloAddress("127.0.0.1", listener.BoundEndPoint!.Port, SiloAddress.NextGeneration(TimeProvider.System));
    return new Silo(services, identity.SiloAddress);
}

static ServiceProvider CreateServices(ClusterTransportIdentity identity, IInboundCallHandler? handler)
{
    var services = new ServiceCollection();
    services.Configure<ClusterOptions>(o =>
    {
        o.ClusterId = "pingbench";
        o.Secret = "pingbench-secret";
    });
    services.AddSingleton(identity);
    if (handler is not null)
    {
        services.AddSingleton(handler);
    }

    services.AddClusterTransport();
    services.AddGrainMessage("ping.v1", PingCodec.Instance, PingCodec.Instance);
    return services.BuildServiceProvider();
}
