using System.Diagnostics.Metrics;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class PrometheusExporterAllocationTests
{
    private static readonly KeyValuePair<string, object?> s_route = new("http.route", "/blog/[slug]");
    private static readonly KeyValuePair<string, object?> s_status = new("http.response.status_code", 200);
    private static readonly KeyValuePair<string, object?> s_method = new("http.request.method", "GET");

    [Fact]
    public void Record_SeenTagSets_AllocatesNothing()
    {
        // Arrange: every kind of synchronous instrument, each having seen its tag set once.
        using var fixture = new ExporterFixture();
        var meter = fixture.CreateMeter();
        var counter = meter.CreateCounter<long>("cluster.test.alloc.requests");
        var upDown = meter.CreateUpDownCounter<long>("cluster.test.alloc.in_flight");
        var histogram = meter.CreateHistogram<double>("cluster.test.alloc.duration", "s");
        var gauge = meter.CreateGauge<double>("cluster.test.alloc.last");
        Record(counter, upDown, histogram, gauge, 1);
        Assert.Contains("cluster_test_alloc_requests_total", fixture.Exporter.Collect(), StringComparison.Ordinal);

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Record(counter, upDown, histogram, gauge, i);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: and the measurements did arrive.
        Assert.Equal(0, allocated);
        Assert.Equal(1001, fixture.Scrape().Value("cluster_test_alloc_requests_total", "cluster_test_alloc_requests_total", ("http_route", "/blog/[slug]"), ("http_request_method", "GET"), ("http_response_status_code", "200")));
    }

    private static void Record(Counter<long> counter, UpDownCounter<long> upDown, Histogram<double> histogram, Gauge<double> gauge, int i)
    {
        counter.Add(1, s_route, s_method, s_status);
        upDown.Add(1, s_route);
        upDown.Add(-1, s_route);
        histogram.Record(i * 0.001, s_route, s_status);
        histogram.Record(0.002);
        gauge.Record(i, s_method);
    }
}
