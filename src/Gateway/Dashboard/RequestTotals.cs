using Cluster.Gateway.Diagnostics;
using Cluster.Runtime.Diagnostics;

namespace Cluster.Gateway.Dashboard;

/// <summary>The gateway's request totals at one reading: per route pattern, and for every request together.</summary>
internal sealed class RequestTotals
{
    private readonly Dictionary<string, RouteTotals> _routes = new(StringComparer.Ordinal);

    private RequestTotals(long timestamp) => Timestamp = timestamp;

    /// <summary>When the reading was taken (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long Timestamp { get; }

    /// <summary>Every request, unmatched and middleware-answered ones included.</summary>
    public RouteTotals All { get; } = new();

    /// <summary>Sums <paramref name="reading"/>'s <c>http.server.request.duration</c> series by <c>http.route</c>.</summary>
    public static RequestTotals From(MetricsReading reading, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var totals = new RequestTotals(timestamp);
        if (reading.Find(GatewayMetrics.RequestDurationName) is not { } durations)
        {
            return totals;
        }

        foreach (var series in durations.Series)
        {
            totals.All.Add(series);
            if (series.Tag(GatewayMetrics.RouteTagName) is { } route)
            {
                if (!totals._routes.TryGetValue(route, out var routeTotals))
                {
                    routeTotals = new RouteTotals();
                    totals._routes.Add(route, routeTotals);
                }

                routeTotals.Add(series);
            }
        }

        return totals;
    }

    /// <summary>The totals of <paramref name="pattern"/>; null when it has served nothing yet.</summary>
    public RouteTotals? Route(string pattern) => _routes.GetValueOrDefault(pattern);
}
