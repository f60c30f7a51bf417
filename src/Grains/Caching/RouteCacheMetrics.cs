using System.Diagnostics.Metrics;

namespace Cluster.Grains.Caching;

/// <summary>
/// The route cache's instruments (meter <see cref="MeterName"/>): the silo store's size and entry count, evictions,
/// requests answered through the cache by outcome and route, and background regenerations by outcome.
/// </summary>
internal sealed class RouteCacheMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Cluster.RouteCache";

    // Tags are built once: the request path of a HIT allocates nothing for its measurement.
    private static readonly KeyValuePair<string, object?> s_hit = new("cache.status", "hit");
    private static readonly KeyValuePair<string, object?> s_stale = new("cache.status", "stale");
    private static readonly KeyValuePair<string, object?> s_miss = new("cache.status", "miss");
    private static readonly KeyValuePair<string, object?> s_success = new("outcome", "success");
    private static readonly KeyValuePair<string, object?> s_failure = new("outcome", "failure");

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _evictions;
    private readonly Counter<long> _regenerations;
    private int _storeObserved;

    public RouteCacheMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>(
            "cluster.route_cache.requests", "{request}", "GET requests of cached routes answered by the route's owner, by cache outcome.");
        _evictions = _meter.CreateCounter<long>(
            "cluster.route_cache.evictions", "{entry}", "Cached responses evicted to stay under Cluster:Cache:MaxBytes.");
        _regenerations = _meter.CreateCounter<long>(
            "cluster.route_cache.regenerations", "{regeneration}", "Background regenerations of stale responses; failure keeps serving the stale one.");
    }

    /// <summary>The tag naming a route on <c>cluster.route_cache.requests</c>; build it once per route.</summary>
    public static KeyValuePair<string, object?> RouteTag(string pattern) => new("http.route", pattern);

    /// <summary>Publishes the store's size and entry count as observable gauges (once; later calls are ignored).</summary>
    public void ObserveStore(IRouteCacheStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (Interlocked.Exchange(ref _storeObserved, 1) != 0)
        {
            return;
        }

        _meter.CreateObservableGauge("cluster.route_cache.size", () => store.Bytes, "By", "Bytes of cached route responses held by this silo.");
        _meter.CreateObservableGauge("cluster.route_cache.entries", () => store.Count, "{entry}", "Cached route responses held by this silo.");
    }

    public void OnRequest(RouteCacheStatus status, in KeyValuePair<string, object?> routeTag)
    {
        if (!_requests.Enabled)
        {
            return;
        }

        var statusTag = status switch
        {
            RouteCacheStatus.Hit => s_hit,
            RouteCacheStatus.Stale => s_stale,
            _ => s_miss,
        };
        _requests.Add(1, statusTag, routeTag);
    }

    public void OnRegeneration(bool success)
    {
        if (_regenerations.Enabled)
        {
            _regenerations.Add(1, success ? s_success : s_failure);
        }
    }

    public void OnEvicted(int entries)
    {
        if (entries > 0 && _evictions.Enabled)
        {
            _evictions.Add(entries);
        }
    }
}
