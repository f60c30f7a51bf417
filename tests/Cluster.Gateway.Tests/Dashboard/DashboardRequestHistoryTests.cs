using Cluster.Gateway.Dashboard;
using Cluster.Runtime.Diagnostics;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>The window arithmetic over two readings of <c>http.server.request.duration</c>.</summary>
public sealed class DashboardRequestHistoryTests
{
    private static readonly double[] s_bounds = [0.001, 0.01, 0.1];
    private static readonly DashboardRouteInfo s_a = new("/a", DashboardRouteCatalog.IsrKind, null);
    private static readonly DashboardRouteInfo s_b = new("/b", DashboardRouteCatalog.DynamicKind, null);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Row_OneReading_TotalsSinceStartAndNoRate()
    {
        var sut = CreateSut();

        sut.Add(FirstReading());

        var a = sut.Row(s_a, owner: "silo-1");
        Assert.Equal(4, a.Requests);
        Assert.Equal(0, a.RequestsPerSecond);
        Assert.Equal(0.75, a.CacheHitRatio);
        Assert.Equal("silo-1", a.Owner);
        Assert.Null(sut.Point(_time.GetUtcNow()));
    }

    [Fact]
    public void Row_TwoReadings_RatesAndRatiosOverTheInterval()
    {
        // Arrange
        var sut = CreateSut();
        sut.Add(FirstReading());
        _time.Advance(TimeSpan.FromSeconds(2));

        // Act
        sut.Add(SecondReading());
        var a = sut.Row(s_a, owner: null);
        var b = sut.Row(s_b, owner: null);
        var point = sut.Point(_time.GetUtcNow());

        // Assert: /a grew by 6 (4 hits, 2 stale), /b by 4 (one a 500).
        Assert.Equal(10, a.Requests);
        Assert.Equal(3, a.RequestsPerSecond);
        Assert.Equal(4d / 6, a.CacheHitRatio!.Value, 9);
        Assert.Equal(0, a.ErrorRate);
        Assert.Equal(0.75, a.P50Ms!.Value, 9);
        Assert.Equal(5, b.Requests);
        Assert.Equal(2, b.RequestsPerSecond);
        Assert.Equal(0.25, b.ErrorRate);
        Assert.Null(b.CacheHitRatio);
        Assert.NotNull(point);
        Assert.Equal(5, point.RequestsPerSecond);
        Assert.Equal(0.5, point.ErrorsPerSecond);
    }

    [Fact]
    public void Row_RouteNeverServed_ZerosAndNulls()
    {
        var sut = CreateSut();
        sut.Add(FirstReading());

        var row = sut.Row(new DashboardRouteInfo("/never", DashboardRouteCatalog.StaticKind, null), owner: null);

        Assert.Equal(0, row.Requests);
        Assert.Equal(0, row.ErrorRate);
        Assert.Null(row.P50Ms);
        Assert.Null(row.P99Ms);
        Assert.Null(row.CacheHitRatio);
    }

    private DashboardRequestHistory CreateSut() => new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(1), _time);

    private RequestTotals FirstReading() => Reading(
        Series("/a", "200", "hit", 3, 0, 0, 0),
        Series("/a", "200", "miss", 0, 1, 0, 0),
        Series("/b", "500", null, 0, 0, 1, 0));

    private RequestTotals SecondReading() => Reading(
        Series("/a", "200", "hit", 7, 0, 0, 0),
        Series("/a", "200", "miss", 0, 1, 0, 0),
        Series("/a", "200", "stale", 0, 2, 0, 0),
        Series("/b", "500", null, 0, 0, 2, 0),
        Series("/b", "200", null, 0, 0, 3, 0));

    private RequestTotals Reading(params MetricSeriesReading[] series)
    {
        var instrument = new MetricInstrumentReading("http.server.request.duration", "Cluster.Gateway", "s", MetricReadingKind.Histogram, series);
        return RequestTotals.From(new MetricsReading(_time.GetTimestamp(), [instrument]), _time.GetTimestamp());
    }

    private static MetricSeriesReading Series(string route, string status, string? cache, params long[] buckets)
    {
        var tags = new Dictionary<string, string>
        {
            ["http.route"] = route,
            ["http.request.method"] = "GET",
            ["http.response.status_code"] = status,
        };
        if (cache is not null)
        {
            tags["route.cache"] = cache;
        }

        var count = buckets.Sum();
        return new MetricSeriesReading(tags, count, new HistogramReading(s_bounds, buckets, count * 0.0005, count));
    }
}
