using System.Diagnostics.Metrics;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class PrometheusExporterTests
{
    [Fact]
    public void Collect_EveryInstrumentKind_ParsesWithExactValues()
    {
        // Arrange
        using var fixture = new ExporterFixture();
        var meter = fixture.CreateMeter();
        var requests = meter.CreateCounter<long>("cluster.test.requests", "{request}", "Requests served.");
        var inFlight = meter.CreateUpDownCounter<int>("cluster.test.in_flight", "{request}", "Requests in flight.");
        var duration = meter.CreateHistogram<double>("cluster.test.duration", "s", "Request duration.");
        var queue = 7;
        meter.CreateObservableGauge("cluster.test.queue.length", () => queue, "{message}", "Queued messages.");

        // Act
        requests.Add(3, new KeyValuePair<string, object?>("http.route", "/a"), new("status", 200));
        requests.Add(2, new KeyValuePair<string, object?>("status", 200), new("http.route", "/a"));
        requests.Add(5, new KeyValuePair<string, object?>("http.route", "/b"), new("status", 404));
        inFlight.Add(4);
        inFlight.Add(-1);
        duration.Record(0.003);
        duration.Record(0.01);
        duration.Record(42);
        var families = fixture.Scrape();
        queue = 9;
        var second = fixture.Scrape();

        // Assert: the counter's two tag sets (the first in either tag order), with HELP and TYPE.
        var counter = families["cluster_test_requests_total"];
        Assert.Equal("counter", counter.Type);
        Assert.Equal("Requests served.", counter.Help);
        Assert.Equal(2, counter.Samples.Count);
        Assert.Equal(5, families.Value("cluster_test_requests_total", "cluster_test_requests_total", ("http_route", "/a"), ("status", "200")));
        Assert.Equal(5, families.Value("cluster_test_requests_total", "cluster_test_requests_total", ("http_route", "/b"), ("status", "404")));

        Assert.Equal("gauge", families["cluster_test_in_flight"].Type);
        Assert.Equal(3, families.Value("cluster_test_in_flight", "cluster_test_in_flight"));

        var histogram = families["cluster_test_duration_seconds"];
        Assert.Equal("histogram", histogram.Type);
        Assert.Equal(0, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_bucket", ("le", "0.0025")));
        Assert.Equal(1, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_bucket", ("le", "0.005")));
        Assert.Equal(2, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_bucket", ("le", "0.01")));
        Assert.Equal(2, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_bucket", ("le", "10")));
        Assert.Equal(3, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(3, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_count"));
        Assert.Equal(42.013, families.Value("cluster_test_duration_seconds", "cluster_test_duration_seconds_sum"), 9);
        Assert.Equal(15, histogram.Samples.Count(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)));

        Assert.Equal("gauge", families["cluster_test_queue_length"].Type);
        Assert.Equal(7, families.Value("cluster_test_queue_length", "cluster_test_queue_length"));
        Assert.Equal(9, second.Value("cluster_test_queue_length", "cluster_test_queue_length"));
    }

    [Fact]
    public void Collect_FamiliesAndSeries_AreSortedAndStable()
    {
        using var fixture = new ExporterFixture();
        var meter = fixture.CreateMeter();
        var b = meter.CreateCounter<long>("cluster.test.b");
        var a = meter.CreateCounter<long>("cluster.test.a");
        b.Add(1, new KeyValuePair<string, object?>("k", "z"));
        b.Add(1, new KeyValuePair<string, object?>("k", "y"));
        a.Add(1);

        var first = fixture.Exporter.Collect();
        var second = fixture.Exporter.Collect();

        Assert.Equal(first, second);
        Assert.True(first.IndexOf("cluster_test_a_total", StringComparison.Ordinal) < first.IndexOf("cluster_test_b_total", StringComparison.Ordinal));
        Assert.True(first.IndexOf("k=\"y\"", StringComparison.Ordinal) < first.IndexOf("k=\"z\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Collect_InstrumentWithoutMeasurements_IsOmitted()
    {
        using var fixture = new ExporterFixture();
        var meter = fixture.CreateMeter();
        meter.CreateCounter<long>("cluster.test.idle", description: "Never used.");
        meter.CreateHistogram<double>("cluster.test.idle_histogram");

        var text = fixture.Exporter.Collect();

        Assert.Equal(string.Empty, text);
    }

    [Fact]
    public void Collect_MeterOfAnotherFactoryOrPrefix_IsNotExported()
    {
        using var fixture = new ExporterFixture();
        using var other = new ExporterFixture();
        fixture.CreateMeter("Other.Test").CreateCounter<long>("other.requests").Add(1);
        other.CreateMeter().CreateCounter<long>("cluster.test.elsewhere").Add(1);
        fixture.CreateMeter().CreateCounter<long>("cluster.test.here").Add(1);

        var families = fixture.Scrape();

        Assert.Equal(["cluster_test_here_total"], families.Keys);
    }

    [Fact]
    public void Collect_AdditionalPrefix_IsExported()
    {
        using var fixture = new ExporterFixture(o => o.AdditionalMeterPrefixes.Add("Other."));
        fixture.CreateMeter("Other.Test").CreateCounter<long>("other.requests").Add(2);

        var families = fixture.Scrape();

        Assert.Equal(2, families.Value("other_requests_total", "other_requests_total"));
    }

    [Fact]
    public void Collect_HostileLabelValuesAndNames_AreEscapedAndRoundTrip()
    {
        // Arrange
        using var fixture = new ExporterFixture();
        var counter = fixture.CreateMeter().CreateCounter<long>("cluster.test/weird-name 1", "By", "Help with \\ and\nnewline and \"quotes\".");
        const string Hostile = "a\"b\\c\nd}e,f=g";

        // Act
        counter.Add(1, new KeyValuePair<string, object?>("route.pattern", Hostile), new("9lives-tag", "x"));
        var text = fixture.Exporter.Collect();
        var families = fixture.Scrape();

        // Assert
        Assert.Contains("route_pattern=\"a\\\"b\\\\c\\nd}e,f=g\"", text, StringComparison.Ordinal);
        var family = families["cluster_test_weird_name_1_bytes_total"];
        Assert.Equal("Help with \\ and\nnewline and \"quotes\".", family.Help);
        var sample = Assert.Single(family.Samples);
        Assert.Equal(Hostile, sample.Labels["route_pattern"]);
        Assert.Equal("x", sample.Labels["_9lives_tag"]);
    }

    [Theory]
    [InlineData("cluster.gateway.dispatch.duration", "s", false, "cluster_gateway_dispatch_duration_seconds")]
    [InlineData("cluster.route_cache.size", "By", false, "cluster_route_cache_size_bytes")]
    [InlineData("cluster.route_cache.requests", "{request}", true, "cluster_route_cache_requests_total")]
    [InlineData("cluster.messages.rate", "{message}/s", false, "cluster_messages_rate_per_second")]
    [InlineData("cluster.net.io", "By/s", true, "cluster_net_io_bytes_per_second_total")]
    [InlineData("cluster..odd__name", null, false, "cluster_odd_name")]
    [InlineData("cluster.already_total", null, true, "cluster_already_total")]
    [InlineData("cluster.uptime_seconds", "s", false, "cluster_uptime_seconds")]
    public void MetricName_OpenTelemetryName_FollowsCompatibilityRules(string name, string? unit, bool counter, string expected)
        => Assert.Equal(expected, PrometheusText.MetricName(name, unit, counter));

    [Fact]
    public void Collect_HistogramAdvice_UsesAdvisedBuckets()
    {
        using var fixture = new ExporterFixture();
        var histogram = fixture.CreateMeter().CreateHistogram<long>(
            "cluster.test.size", "By", null, null, new InstrumentAdvice<long> { HistogramBucketBoundaries = [10, 100] });

        histogram.Record(10);
        histogram.Record(11);
        histogram.Record(1000);
        var families = fixture.Scrape();

        var buckets = families["cluster_test_size_bytes"].Samples.Where(s => s.Name == "cluster_test_size_bytes_bucket").ToList();
        Assert.Equal(["10", "100", "+Inf"], buckets.Select(s => s.Labels["le"]));
        Assert.Equal([1, 2, 3], buckets.Select(s => s.Value));
        Assert.Equal(1021, families.Value("cluster_test_size_bytes", "cluster_test_size_bytes_sum"));
    }

    [Fact]
    public void Collect_ObservableThatStoppedReportingATagSet_OmitsIt()
    {
        using var fixture = new ExporterFixture();
        var report = true;
        fixture.CreateMeter().CreateObservableGauge("cluster.test.gone", () =>
            report ? [new Measurement<long>(1, new KeyValuePair<string, object?>("silo", "a"))] : Array.Empty<Measurement<long>>());

        var before = fixture.Exporter.Collect();
        report = false;
        var after = fixture.Exporter.Collect();

        Assert.Contains("cluster_test_gone{silo=\"a\"} 1", before, StringComparison.Ordinal);
        Assert.Equal(string.Empty, after);
    }

    [Fact]
    public void Record_ManyTagSetsPastTheBound_GoToOneOverflowSeries()
    {
        using var fixture = new ExporterFixture(o => o.MaxSeriesPerInstrument = 3);
        var counter = fixture.CreateMeter().CreateCounter<long>("cluster.test.bounded");

        for (var i = 0; i < 10; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("id", i));
        }

        var family = fixture.Scrape()["cluster_test_bounded_total"];
        Assert.Equal(4, family.Samples.Count);
        Assert.Equal(7, Assert.Single(family.Samples, s => s.Labels.ContainsKey("otel_metric_overflow")).Value);
        Assert.Equal(10, family.Samples.Sum(s => s.Value));
    }

    [Fact]
    public async Task Record_FourThreadsConcurrently_CountsExactly()
    {
        // Arrange
        using var fixture = new ExporterFixture();
        var meter = fixture.CreateMeter();
        var counter = meter.CreateCounter<long>("cluster.test.concurrent");
        var doubles = meter.CreateCounter<double>("cluster.test.concurrent_double");
        var histogram = meter.CreateHistogram<double>("cluster.test.concurrent_histogram");
        using var start = new Barrier(4);

        // Act: every thread adds to the same two tag sets, created by whichever thread comes first.
        var threads = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 10_000; i++)
                {
                    var tag = new KeyValuePair<string, object?>("parity", i % 2 == 0 ? "even" : "odd");
                    counter.Add(1, tag);
                    doubles.Add(0.5, tag);
                    histogram.Record(1);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(threads).WithTimeout();
        var families = fixture.Scrape();

        // Assert
        Assert.Equal(20_000, families.Value("cluster_test_concurrent_total", "cluster_test_concurrent_total", ("parity", "even")));
        Assert.Equal(20_000, families.Value("cluster_test_concurrent_total", "cluster_test_concurrent_total", ("parity", "odd")));
        Assert.Equal(10_000, families.Value("cluster_test_concurrent_double_total", "cluster_test_concurrent_double_total", ("parity", "odd")));
        Assert.Equal(40_000, families.Value("cluster_test_concurrent_histogram", "cluster_test_concurrent_histogram_count"));
        Assert.Equal(40_000, families.Value("cluster_test_concurrent_histogram", "cluster_test_concurrent_histogram_sum"));
    }
}
