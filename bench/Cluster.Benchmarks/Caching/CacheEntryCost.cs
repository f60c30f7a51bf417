using System.Text;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cluster.Benchmarks.Caching;

/// <summary>
/// What one cached response costs a silo beyond its body: fills a <see cref="RouteCacheStore"/> with distinct entries of
/// one route (as a dynamic route's paths would) and compares the managed heap before and after, with full collections
/// around both readings. Run with <c>dotnet run -c Release --project bench/Cluster.Benchmarks -- --cache-entry-cost</c>.
/// </summary>
internal static class CacheEntryCost
{
    private const int Entries = 20_000;

    public static void Run()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new RouteCacheMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        // A cap far above what the run stores: nothing may be evicted while the heap is measured.
        var store = new RouteCacheStore(Options.Create(new RouteCacheOptions { MaxBytes = 8L << 30 }), metrics, NullLogger<RouteCacheStore>.Instance);
        var now = DateTimeOffset.UtcNow;
        foreach (var bodySize in new[] { 0, 1024, 16 * 1024 })
        {
            var paths = new string[Entries];
            for (var i = 0; i < Entries; i++)
            {
                paths[i] = "/blog/post-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            }

            var before = HeapAfterFullCollection();
            for (var i = 0; i < Entries; i++)
            {
                // What a handler returns (a JSON body of its own array) plus the Cache-Control the owner adds on storing.
                var response = RouteResponse.Bytes(Encoding.UTF8.GetBytes(new string('x', bodySize)), RouteResponse.JsonContentType)
                    .WithHeader("cache-control", "s-maxage=60, stale-while-revalidate=31535940");
                store.Set("/blog/[slug]", paths[i], new RouteCacheEntry(response, now, now.AddSeconds(60), i));
            }

            var after = HeapAfterFullCollection();
            var perEntry = (double)(after - before) / Entries;
            Console.WriteLine(
                $"body {bodySize,6} B: {perEntry,9:F0} B of heap per entry, {perEntry - bodySize,6:F0} B beyond the body " +
                $"(accounted against Cluster:Cache:MaxBytes: {store.Bytes / Entries} B per entry)");
            store.RemoveAll("/blog/[slug]");
            GC.KeepAlive(paths);
        }
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
