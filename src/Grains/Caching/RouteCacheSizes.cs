using Cluster.Routing;

namespace Cluster.Grains.Caching;

/// <summary>The bytes a cached response is accounted for: body, headers (UTF-16 strings) and a fixed overhead per entry.</summary>
internal static class RouteCacheSizes
{
    /// <summary>The entry, response, header array and dictionary slot objects of one entry, measured on x64.</summary>
    public const int EntryOverhead = 256;

    public static long Of(RouteResponse response)
    {
        long size = EntryOverhead + response.Body.Length + (2L * (response.ContentType?.Length ?? 0));
        foreach (var (name, value) in response.Headers)
        {
            size += 2L * (name.Length + value.Length) + 48;
        }

        return size;
    }
}
