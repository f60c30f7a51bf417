using Cluster.Runtime.Diagnostics;

namespace Cluster.Runtime.Tests.Diagnostics;

/// <summary>
/// The series keep their counts per processor stripe; whatever threads and processors did the adding, a reader sees the
/// exact totals.
/// </summary>
public sealed class StripedSeriesTests
{
    private const int Threads = 8;
    private const int AddsPerThread = 50_000;

    [Fact]
    public void SumSeries_ConcurrentIntegerAdds_TotalIsExact()
    {
        var sut = new SumSeries();

        RunConcurrently(() => sut.Add(1L));

        Assert.Equal(Threads * AddsPerThread, sut.Value);
    }

    [Fact]
    public void SumSeries_ConcurrentFloatingAdds_TotalIsExact()
    {
        // 0.5 is exact in binary, so any order of additions gives the same sum.
        var sut = new SumSeries();

        RunConcurrently(() => sut.Add(0.5));

        Assert.Equal(Threads * AddsPerThread * 0.5, sut.Value);
    }

    [Fact]
    public void SumSeries_IntegerAndFloating_AddUp()
    {
        var sut = new SumSeries();

        sut.Add(2L);
        sut.Add(0.25);
        sut.Add(-1L);

        Assert.Equal(1.25, sut.Value);
    }

    [Fact]
    public void HistogramSeries_ConcurrentRecords_BucketsAndSumAreExact()
    {
        // Arrange: 3 boundaries, so 4 buckets; every thread records into buckets 0 and 3.
        var sut = new HistogramSeries(boundaryCount: 3);

        // Act
        RunConcurrently(() =>
        {
            sut.Record(0, 0.25);
            sut.Record(3, 1.0);
        });

        // Assert
        Span<long> buckets = stackalloc long[4];
        var sum = sut.Read(buckets);
        Assert.Equal([Threads * AddsPerThread, 0, 0, Threads * AddsPerThread], buckets.ToArray());
        Assert.Equal(Threads * AddsPerThread * 1.25, sum);
    }

    [Fact]
    public void HistogramSeries_ReadIntoDirtySpan_OverwritesIt()
    {
        var sut = new HistogramSeries(boundaryCount: 1);
        sut.Record(1, 2.0);

        Span<long> buckets = [99, 99];
        var sum = sut.Read(buckets);

        Assert.Equal([0L, 1L], buckets.ToArray());
        Assert.Equal(2.0, sum);
    }

    [Fact]
    public void StripedCounter_ConcurrentIncrements_ValueIsExact()
    {
        var sut = new StripedCounter();

        RunConcurrently(sut.Increment);

        Assert.Equal(Threads * AddsPerThread, sut.Value);
    }

    [Fact]
    public void CoreStripes_Layout_KeepsBlocksOnSeparateLinePairs()
    {
        Assert.True(CoreStripes.Count is >= 1 and <= 8);
        Assert.Equal(0, CoreStripes.Count & (CoreStripes.Count - 1));
        Assert.Equal(16, CoreStripes.Stride(1));
        Assert.Equal(16, CoreStripes.Stride(16));
        Assert.Equal(32, CoreStripes.Stride(17));
        Assert.InRange(CoreStripes.CurrentOffset(16), 16, CoreStripes.ArrayLength(16) - 16);
    }

    private static void RunConcurrently(Action add)
    {
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < AddsPerThread; i++)
            {
                add();
            }
        })).ToList();
        threads.ForEach(static t => t.Start());
        threads.ForEach(static t => t.Join());
    }
}
