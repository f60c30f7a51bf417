using System.Diagnostics.Metrics;
using Cluster.Gateway.Caching;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// With a listener attached to every gateway instrument, a near-cache HIT still allocates nothing, and neither does
/// recording a request on its own (warmed up, measured on one thread, as <c>NearCacheAllocationTests</c>).
/// </summary>
public sealed class GatewayMetricsAllocationTests
{
    private const int Rounds = 1_000;

    [Fact]
    public void RequestCompleted_ListenerAttached_AllocatesNothing()
    {
        // Arrange
        using var factory = new TestMeterFactory();
        var sut = new GatewayMetrics(factory);
        using var listener = Listen(factory, out var counts);
        sut.RequestCompleted("/warm", "GET", 200, Grains.Caching.RouteCacheStatus.Hit, 0);
        sut.MiddlewareCompleted(MiddlewareResultKind.Next);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            sut.RequestCompleted("/isr/[id]", "GET", 200, Grains.Caching.RouteCacheStatus.Hit, start);
            sut.RequestCompleted("/echo", "BREW", 400, Grains.Caching.RouteCacheStatus.None, start);
            sut.MiddlewareCompleted(MiddlewareResultKind.Rewrite);
            sut.MiddlewareFailed();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: the outcomes are an observable counter, read (and allowed to allocate) at collection time.
        Assert.Equal(0, allocated);
        Assert.Equal((2 * Rounds) + 1, counts.Requests);
        listener.RecordObservableInstruments();
        Assert.Equal((2 * Rounds) + 1, counts.Outcomes);
    }

    [Fact]
    public async Task Handler_NearCacheHitWithMetricsListened_AllocatesNothing()
    {
        // Arrange
        var owners = new ScriptedRouteDispatcher();
        var manifest = HandlerAllocations.IsrManifest();
        await using var host = await GatewayHost.StartAsync(manifest, services => services.AddSingleton<IRouteDispatcher>(owners));
        using var listener = Listen(host.Services.GetRequiredService<IMeterFactory>(), out var counts);
        var handler = host.Services.GetRequiredService<GatewayRequestHandler>();
        var context = CreateContext("/isr/1");
        await handler.InvokeAsync(context).WaitAsync(TestTimeouts.Default);
        Assert.Equal("MISS", context.Response.Headers[RouteResponseWriter.RouteCacheHeader].ToString());
        Assert.True(host.Services.GetRequiredService<GatewayNearCache>().TryGet("/isr/[id]", "/isr/1", out _), "The MISS was not kept.");
        var before = counts.Requests;

        // Act
        var hit = Measure(() => handler.InvokeAsync(context));

        // Assert: every HIT was measured, and none of them allocated.
        Assert.Equal("HIT", context.Response.Headers[RouteResponseWriter.RouteCacheHeader].ToString());
        Assert.Equal(1, owners.Calls("/isr/1"));
        Assert.Equal(10 + Rounds, counts.Requests - before);
        Assert.True(hit == 0, $"A near-cache HIT with metrics listened to allocated {hit} bytes per request.");
    }

    // Counts the gateway meter's measurements of this factory without allocating in the callbacks.
    private static MeterListener Listen(IMeterFactory factory, out MeasurementCounts counts)
    {
        var state = new MeasurementCounts();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GatewayMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument, state);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>(static (_, _, tags, s) =>
        {
            // Reading the tags, as an exporter does, must not allocate either.
            if (tags.Length >= 3)
            {
                Interlocked.Increment(ref ((MeasurementCounts)s!).Requests);
            }
        });
        // The outcome counter is observable: each collection reports every outcome's total so far.
        listener.SetMeasurementEventCallback<long>(static (_, value, _, s) => Interlocked.Add(ref ((MeasurementCounts)s!).Outcomes, value));
        listener.Start();
        counts = state;
        return listener;
    }

    private static long Measure(Func<Task> call) => HandlerAllocations.PerCall(call, Rounds);

    private static DefaultHttpContext CreateContext(string target) => HandlerAllocations.CreateContext(target);

    private sealed class MeasurementCounts
    {
        public long Requests;
        public long Outcomes;
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
