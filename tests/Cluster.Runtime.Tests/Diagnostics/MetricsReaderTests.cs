using System.Diagnostics.Metrics;
using Cluster.Runtime.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class MetricsReaderTests
{
    private static readonly KeyValuePair<string, object?> s_routeA = new("http.route", "/a");
    private static readonly KeyValuePair<string, object?> s_routeB = new("http.route", "/b");

    [Fact]
    public void Read_EveryInstrumentKind_AgreesWithTheTextScrape()
    {
        // Arrange: one instrument of every kind, with several tag sets and integer and floating values.
        using var fixture = new ExporterFixture();
        var meter = fixture.CreateMeter();
        var requests = meter.CreateCounter<long>("cluster.test.requests", "{request}");
        var bytes = meter.CreateCounter<double>("cluster.test.bytes", "By");
        var inFlight = meter.CreateUpDownCounter<int>("cluster.test.in_flight", "{request}");
        var duration = meter.CreateHistogram<double>("cluster.test.duration", "s");
        var last = meter.CreateGauge<double>("cluster.test.last");
        var queue = 0;
        meter.CreateObservableGauge("cluster.test.queue.length", () => new Measurement<int>(queue, s_routeA), "{message}");
        meter.CreateObservableCounter("cluster.test.ticks", () => 40L + queue, "{tick}");
        requests.Add(3, s_routeA, new("http.response.status_code", 200));
        requests.Add(4, s_routeB, new("http.response.status_code", 500));
        bytes.Add(1.5, s_routeA);
        inFlight.Add(5);
        inFlight.Add(-2);
        duration.Record(0.003, s_routeA);
        duration.Record(0.2, s_routeA);
        duration.Record(12, s_routeB);
        last.Record(7.25);
        queue = 2;

        // Act
        var reading = fixture.Exporter.Read();
        var families = fixture.Scrape();

        // Assert: every value the reading has is the one the text has, under the Prometheus name of the same instrument.
        Assert.Equal(7, reading.Instruments.Count);
        Assert.Equal(families.Keys.Order(StringComparer.Ordinal), reading.Instruments.Select(static i => PrometheusNameOf(i)).Order(StringComparer.Ordinal));
        foreach (var instrument in reading.Instruments)
        {
            var name = PrometheusNameOf(instrument);
            Assert.Equal("Cluster.Test", instrument.MeterName);
            Assert.Equal(families[name].Type, instrument.Kind switch
            {
                MetricReadingKind.Counter => "counter",
                MetricReadingKind.Histogram => "histogram",
                _ => "gauge",
            });
            foreach (var series in instrument.Series)
            {
                var labels = series.Tags.Select(static t => (PrometheusText.SanitizeLabelName(t.Key), t.Value)).ToArray();
                if (instrument.Kind != MetricReadingKind.Histogram)
                {
                    Assert.Equal(families.Value(name, name, labels), series.Value);
                    Assert.Null(series.Histogram);
                    continue;
                }

                var histogram = Assert.IsType<HistogramReading>(series.Histogram);
                Assert.Equal(families.Value(name, name + "_count", labels), series.Value);
                Assert.Equal(families.Value(name, name + "_count", labels), histogram.Count);
                Assert.Equal(families.Value(name, name + "_sum", labels), histogram.Sum);
                long cumulative = 0;
                for (var i = 0; i < histogram.Boundaries.Count; i++)
                {
                    cumulative += histogram.BucketCounts[i];
                    var le = PrometheusText.FormatDouble(histogram.Boundaries[i]);
                    Assert.Equal(families.Value(name, name + "_bucket", [.. labels, ("le", le)]), cumulative);
                }

                Assert.Equal(families.Value(name, name + "_bucket", [.. labels, ("le", "+Inf")]), cumulative + histogram.BucketCounts[^1]);
            }
        }

        // And the figures themselves, found by OpenTelemetry names and tags.
        Assert.Equal(3, reading.Find("cluster.test.requests")!.Sum(KeyValuePair.Create("http.route", "/a")));
        Assert.Equal(7, reading.Find("cluster.test.requests")!.Sum());
        Assert.Equal("200", reading.Find("cluster.test.requests")!.Series.Single(s => s.Tag("http.route") == "/a").Tag("http.response.status_code"));
        Assert.Equal(1.5, reading.Find("cluster.test.bytes")!.Sum());
        Assert.Equal(3, reading.Find("cluster.test.in_flight")!.Sum());
        Assert.Equal(MetricReadingKind.Gauge, reading.Find("cluster.test.in_flight")!.Kind);
        Assert.Equal(2, reading.Find("cluster.test.duration")!.Sum(KeyValuePair.Create("http.route", "/a")));
        Assert.Equal("s", reading.Find("cluster.test.duration")!.Unit);
        Assert.Equal(7.25, reading.Find("cluster.test.last")!.Sum());
        Assert.Equal(2, reading.Find("cluster.test.queue.length")!.Sum(KeyValuePair.Create("http.route", "/a")));
        Assert.Equal(42, reading.Find("cluster.test.ticks")!.Sum());
        Assert.Equal(MetricReadingKind.Counter, reading.Find("cluster.test.ticks")!.Kind);
        Assert.Null(reading.Find("cluster_test_requests_total"));
    }

    [Fact]
    public void Read_ObservableInstruments_AreObservedOncePerRead()
    {
        using var fixture = new ExporterFixture();
        var observed = 0;
        fixture.CreateMeter().CreateObservableGauge("cluster.test.observed", () => ++observed);

        var first = fixture.Exporter.Read();
        var second = fixture.Exporter.Read();

        Assert.Equal(2, observed);
        Assert.Equal(1, first.Find("cluster.test.observed")!.Sum());
        Assert.Equal(2, second.Find("cluster.test.observed")!.Sum());
    }

    [Fact]
    public void Read_ObservableThatStoppedReportingATagSet_LeavesItOut()
    {
        using var fixture = new ExporterFixture();
        var report = true;
        fixture.CreateMeter().CreateObservableGauge("cluster.test.gone", () =>
            report ? [new Measurement<long>(1, new KeyValuePair<string, object?>("silo", "a"))] : Array.Empty<Measurement<long>>());

        var before = fixture.Exporter.Read();
        report = false;
        var after = fixture.Exporter.Read();

        Assert.Equal("a", Assert.Single(before.Find("cluster.test.gone")!.Series).Tag("silo"));
        Assert.Null(after.Find("cluster.test.gone"));
        Assert.Empty(after.Instruments);
    }

    [Fact]
    public void Read_Timestamp_IsTheTimeProvidersAtTheRead()
    {
        // Arrange
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var time = new FakeTimeProvider();
        time.Advance(TimeSpan.FromSeconds(3));
        using var sut = new PrometheusExporter(Options.Create(new PrometheusExporterOptions()), services.GetRequiredService<IMeterFactory>(), time);

        // Act
        var first = sut.Read();
        time.Advance(TimeSpan.FromSeconds(2));
        var second = sut.Read();

        // Assert
        Assert.Equal(time.GetTimestamp() - (2 * time.TimestampFrequency), first.Timestamp);
        Assert.Equal(TimeSpan.FromSeconds(2), time.GetElapsedTime(first.Timestamp, second.Timestamp));
    }

    [Fact]
    public void Read_HistogramOverTwoReadings_GivesTheMeasurementsInBetween()
    {
        // Arrange
        using var fixture = new ExporterFixture();
        var duration = fixture.CreateMeter().CreateHistogram<double>("cluster.test.latency", "s");
        duration.Record(0.004);
        var earlier = fixture.Exporter.Read().Find("cluster.test.latency")!.Series.Single().Histogram;

        // Act
        duration.Record(0.3);
        duration.Record(0.4);
        var later = fixture.Exporter.Read().Find("cluster.test.latency")!.Series.Single().Histogram!;
        var window = later.Since(earlier);

        // Assert: the two measurements of the window lie in the 0.25–0.5 s bucket; its median interpolates to the middle.
        Assert.Equal(2, window.Count);
        Assert.Equal(0.7, window.Sum, 9);
        Assert.Equal(0.375, window.Quantile(0.5), 9);
        Assert.Equal(3, later.Count);
    }

    [Fact]
    public void AddClusterMetricsExporter_Reader_IsTheExporter()
    {
        using var services = new ServiceCollection().AddClusterMetricsExporter().BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var reader = services.GetRequiredService<IMetricsReader>();

        Assert.Same(services.GetRequiredService<PrometheusExporter>(), reader);
    }

    private static string PrometheusNameOf(MetricInstrumentReading instrument)
        => PrometheusText.MetricName(instrument.Name, instrument.Unit, instrument.Kind == MetricReadingKind.Counter);
}
