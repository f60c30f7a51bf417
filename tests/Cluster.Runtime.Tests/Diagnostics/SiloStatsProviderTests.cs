using System.Diagnostics;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class SiloStatsProviderTests
{
    [Fact]
    public async Task Capture_AfterTheProcessUsedCpu_ReportsAShareAboveZeroAndAtMost100()
    {
        // Arrange: the wall time between samples comes from a manual clock; the CPU time is the process's own.
        var time = new FakeTimeProvider();
        await using var silo = await TestSilo.StartAsync(static _ => { }, timeProvider: time);
        var sut = silo.Services.GetRequiredService<SiloStatsProvider>();
        var first = sut.Capture();
        BurnCpu(TimeSpan.FromMilliseconds(50));
        time.Advance(TimeSpan.FromSeconds(1));

        // Act
        var second = sut.Capture();
        var soonAfter = sut.Capture();

        // Assert: at least 50 ms of CPU in one second of wall time on every core is above 0; a sample within
        // MinCpuSampleInterval of the last repeats it instead of dividing by almost nothing.
        Assert.InRange(first.CpuPercent, 0, 100);
        Assert.InRange(second.CpuPercent, double.Epsilon, 100);
        Assert.Equal(second.CpuPercent, soonAfter.CpuPercent);
    }

    [Fact]
    public async Task Capture_ReadsTheMessagingFiguresFromTheMetricsReaderByInstrumentName()
    {
        // Arrange: a reading with the instruments the runtime's meter defines, some with several series.
        var reading = new MetricsReading(0,
        [
            Instrument("cluster.messaging.received", MetricReadingKind.Counter, ([], 5)),
            Instrument("cluster.messaging.sent", MetricReadingKind.Counter, ([], 6)),
            Instrument("cluster.messaging.rejected", MetricReadingKind.Counter, ([new("reason", "unavailable")], 2), ([new("reason", "expired")], 1)),
            Instrument("cluster.activation.queue.length", MetricReadingKind.Gauge, ([], 4)),
            Instrument("cluster.connection.count", MetricReadingKind.Gauge,
                ([new("cluster.peer", "a"), new("direction", "outbound")], 1), ([new("cluster.peer", "b"), new("direction", "inbound")], 1)),
        ]);
        await using var silo = await TestSilo.StartAsync(
            builder => builder.Services.AddSingleton<IMetricsReader>(new FixedMetricsReader(reading)));
        var sut = silo.Services.GetRequiredService<SiloStatsProvider>();

        // Act
        var stats = sut.Capture();

        // Assert
        Assert.Equal(5, stats.MessagesReceived);
        Assert.Equal(6, stats.MessagesSent);
        Assert.Equal(3, stats.MessagesRejected);
        Assert.Equal(4, stats.QueuedRequests);
        Assert.Equal(2, stats.Connections);
    }

    [Fact]
    public async Task Capture_InstrumentsNotMeasuredYet_ReadAsZero()
    {
        // Arrange
        await using var silo = await TestSilo.StartAsync(
            static builder => builder.Services.AddSingleton<IMetricsReader>(new FixedMetricsReader(new MetricsReading(0, []))));
        var sut = silo.Services.GetRequiredService<SiloStatsProvider>();

        // Act
        var stats = sut.Capture();

        // Assert
        Assert.Equal(0, stats.MessagesReceived + stats.MessagesSent + stats.MessagesRejected + stats.QueuedRequests + stats.Connections);
    }

    private static MetricInstrumentReading Instrument(
        string name, MetricReadingKind kind, params (KeyValuePair<string, string>[] Tags, double Value)[] series)
        => new(name, "Cluster.Runtime", "{x}", kind,
            [.. series.Select(static s => new MetricSeriesReading(s.Tags.ToDictionary(StringComparer.Ordinal), s.Value, null))]);

    /// <summary>Spins until the process has used <paramref name="cpu"/> more CPU time (bounded, so a stuck clock fails the test).</summary>
    private static void BurnCpu(TimeSpan cpu)
    {
        var start = Environment.CpuUsage.TotalTime;
        var guard = Stopwatch.StartNew();
        var x = 1.0;
        while (Environment.CpuUsage.TotalTime - start < cpu)
        {
            for (var i = 0; i < 10_000; i++)
            {
                x = Math.Sqrt(x + i);
            }

            Assert.True(guard.Elapsed < TestTimeouts.Default, "The process's CPU time did not grow.");
        }

        GC.KeepAlive(x);
    }

    private sealed class FixedMetricsReader(MetricsReading reading) : IMetricsReader
    {
        public MetricsReading Read() => reading;
    }
}
