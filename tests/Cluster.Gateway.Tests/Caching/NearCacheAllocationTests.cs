using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Cluster.Gateway.Tests.Caching.TestSupport.NearCacheFactory;

namespace Cluster.Gateway.Tests.Caching;

/// <summary>The near-cache HIT costs no allocation of the gateway's own (warmed up, measured on one thread).</summary>
public sealed class NearCacheAllocationTests
{
    private const int Rounds = 1_000;

    [Fact]
    public void TryGet_WarmedUpHitsAndMisses_AllocateNothing()
    {
        var sut = new Gateway.Caching.GatewayNearCache(
            new RouteCacheClock(TimeProvider.System),
            Options.Create(new Gateway.Caching.NearCacheOptions()),
            NullLogger<Gateway.Caching.GatewayNearCache>.Instance);
        sut.TryAdd("/isr/[id]", "/isr/1", Miss("isr"), sut.Epoch);
        sut.TryAdd("/static/[id]", "/static/1", Reply("static", RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan), sut.Epoch);
        var found = 0;

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Rounds; i++)
        {
            found += sut.TryGet("/isr/[id]", "/isr/1", out _) ? 1 : 0;
            found += sut.TryGet("/static/[id]", "/static/1", out _) ? 1 : 0;
            found += sut.TryGet("/isr/[id]", "/isr/2", out _) ? 1 : 0;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(2 * Rounds, found);
    }

    [Fact]
    public async Task Handler_NearCacheHitOnAReusedContext_AllocatesNothing()
    {
        var owners = new ScriptedRouteDispatcher();
        var manifest = HandlerAllocations.IsrManifest();
        await using var host = await GatewayHost.StartAsync(manifest, services => services.AddSingleton<IRouteDispatcher>(owners));
        var handler = host.Services.GetRequiredService<GatewayRequestHandler>();
        var context = CreateContext("/isr/1");
        await handler.InvokeAsync(context).WaitAsync(TestTimeouts.Default);
        Assert.Equal("MISS", context.Response.Headers[RouteResponseWriter.RouteCacheHeader].ToString());
        var copy = owners.Calls("/isr/1") == 1 && host.Services.GetRequiredService<Gateway.Caching.GatewayNearCache>().TryGet("/isr/[id]", "/isr/1", out var kept)
            ? kept
            : throw new InvalidOperationException("The MISS was not kept.");

        // The same response written to a context of the same kind, as a bare ASP.NET handler would: what the server needs.
        var bareContext = CreateContext("/isr/1");
        var bare = Measure(() => RouteResponseWriter.WriteAsync(bareContext, copy, omitBody: false));
        var hit = Measure(() => handler.InvokeAsync(context));

        Assert.Equal("HIT", context.Response.Headers[RouteResponseWriter.RouteCacheHeader].ToString());
        Assert.Equal(1, owners.Calls("/isr/1"));
        Assert.True(hit == 0, $"A near-cache HIT allocated {hit} bytes per request; writing the same response alone allocates {bare}.");
    }

    private static long Measure(Func<Task> call) => HandlerAllocations.PerCall(call, Rounds);

    private static DefaultHttpContext CreateContext(string target) => HandlerAllocations.CreateContext(target);
}
