using BenchmarkDotNet.Attributes;
using Cluster.Gateway.Diagnostics;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Runtime.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cluster.Benchmarks.Diagnostics;

/// <summary>
/// What the gateway's per-request metrics cost with the process's own exporter listening (as in every gateway): the
/// request duration histogram (route, method, status tags) and the middleware outcome counter (one tag), from one thread
/// and from two threads at once on the same series — the case of a busy route on a multi-core gateway, where every
/// request updates the same counters.
/// </summary>
[MemoryDiagnoser]
public class MetricsRecordingBenchmarks
{
    private const int OperationsPerThread = 100_000;

    private ServiceProvider _services = null!;
    private GatewayMetrics _metrics = null!;
    private long _start;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddClusterMetricsExporter().BuildServiceProvider();
        _ = _services.GetRequiredService<PrometheusExporter>();
        _metrics = new GatewayMetrics(_services.GetRequiredService<IMeterFactory>());
        _start = Stopwatch.GetTimestamp();
        if (!_metrics.IsRequestDurationEnabled)
        {
            throw new InvalidOperationException("The exporter does not listen to the gateway's meter.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public void RequestDuration() => _metrics.RequestCompleted("/api/products/[id]", "GET", 200, RouteCacheStatus.None, _start);

    [Benchmark]
    public void MiddlewareOutcome() => _metrics.MiddlewareCompleted(MiddlewareResultKind.Next);

    [Benchmark(OperationsPerInvoke = 2 * OperationsPerThread)]
    public void RequestDurationTwoThreads() => OnTwoThreads(static (metrics, start) =>
    {
        for (var i = 0; i < OperationsPerThread; i++)
        {
            metrics.RequestCompleted("/api/products/[id]", "GET", 200, RouteCacheStatus.None, start);
        }
    });

    [Benchmark(OperationsPerInvoke = 2 * OperationsPerThread)]
    public void MiddlewareOutcomeTwoThreads() => OnTwoThreads(static (metrics, _) =>
    {
        for (var i = 0; i < OperationsPerThread; i++)
        {
            metrics.MiddlewareCompleted(MiddlewareResultKind.Next);
        }
    });

    private void OnTwoThreads(Action<GatewayMetrics, long> work)
    {
        var metrics = _metrics;
        var start = _start;
        var other = new Thread(() => work(metrics, start));
        other.Start();
        work(metrics, start);
        other.Join();
    }
}
