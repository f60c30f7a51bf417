using System.Net;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>Assertions on what the route cache answered, with the cluster's logs in every failure message.</summary>
internal static class CacheAssert
{
    /// <summary>A 200 with <c>x-route-cache: <paramref name="cache"/></c> whose body is render number <paramref name="render"/>.</summary>
    public static void Reply(CachedReply reply, string cache, int render, TestCluster cluster, string? context = null)
    {
        // The message (all logs so far) is built only for a failure.
        if (reply.Status != HttpStatusCode.OK || reply.Cache != cache || reply.Render != render)
        {
            Assert.Fail($"{context}{(context is null ? "" : ": ")}expected 200 {cache} of render {render}, got {reply}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        }
    }

    /// <summary>A 200 that is STALE or HIT (never MISS) of render number <paramref name="render"/>.</summary>
    public static void StaleOrHit(CachedReply reply, int render, TestCluster cluster, string? context = null)
    {
        if (reply.Status != HttpStatusCode.OK || reply.Cache is not ("STALE" or "HIT") || reply.Render != render)
        {
            Assert.Fail($"{context}{(context is null ? "" : ": ")}expected 200 STALE or HIT of render {render}, got {reply}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        }
    }

    /// <summary><see cref="Assert.True(bool, string)"/> whose message is built only for a failure (it holds every log so far).</summary>
    public static void True(bool condition, Func<string> message)
    {
        if (!condition)
        {
            Assert.Fail(message());
        }
    }
}
