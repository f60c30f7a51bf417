using Cluster.Runtime.Diagnostics;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class HistogramReadingTests
{
    // Bounds 1, 2, 4 (+Inf): two measurements in (0, 1], two in (1, 2], four in (2, 4], none above.
    private static readonly HistogramReading s_spread = Create([1, 2, 4], [2, 2, 4, 0]);

    [Theory]
    [InlineData(0.25, 1.0)] // rank 2: the end of the first bucket, which starts at 0
    [InlineData(0.125, 0.5)] // rank 1: half way through the first bucket
    [InlineData(0.5, 2.0)] // rank 4: the end of the second bucket
    [InlineData(0.75, 3.0)] // rank 6: half way through (2, 4]
    [InlineData(1.0, 4.0)] // rank 8: the last finite bound
    [InlineData(0.0, 0.0)] // rank 0: the first bucket's lower bound
    public void Quantile_HandMadeBuckets_InterpolatesLinearlyInsideTheBucket(double quantile, double expected)
        => Assert.Equal(expected, s_spread.Quantile(quantile), 12);

    [Fact]
    public void Quantile_RankInTheInfBucket_AnswersTheLastFiniteBound()
    {
        var sut = Create([1, 2, 4], [0, 0, 1, 3]);

        Assert.Equal(4, sut.Quantile(0.5));
        Assert.Equal(4, sut.Quantile(0.99));
        Assert.Equal(3, sut.Quantile(0.125), 12);
    }

    [Fact]
    public void Quantile_FirstBoundNotPositive_AnswersThatBound()
    {
        var sut = Create([-1, 0, 1], [2, 0, 0, 0]);

        Assert.Equal(-1, sut.Quantile(0.5));
    }

    [Fact]
    public void Quantile_NoMeasurements_IsNaN()
    {
        Assert.True(double.IsNaN(Create([1, 2], [0, 0, 0]).Quantile(0.5)));
        Assert.True(double.IsNaN(Create([], [3]).Quantile(0.5)));
        Assert.True(double.IsNaN(s_spread.Quantile(double.NaN)));
    }

    [Fact]
    public void Quantile_OutsideZeroToOne_IsInfinite()
    {
        Assert.Equal(double.NegativeInfinity, s_spread.Quantile(-0.1));
        Assert.Equal(double.PositiveInfinity, s_spread.Quantile(1.1));
    }

    [Fact]
    public void Since_EarlierReading_SubtractsBucketByBucket()
    {
        var earlier = new HistogramReading([1, 2, 4], [1, 0, 2, 0], 5.5, 3);
        var later = new HistogramReading([1, 2, 4], [2, 2, 4, 1], 21.5, 9);

        var sut = later.Since(earlier);

        Assert.Equal([1L, 2L, 2L, 1L], sut.BucketCounts);
        Assert.Equal(6, sut.Count);
        Assert.Equal(16, sut.Sum);
        Assert.Equal(later.Boundaries, sut.Boundaries);
    }

    [Fact]
    public void Since_Null_IsTheWholeReading()
        => Assert.Same(s_spread, s_spread.Since(null));

    [Fact]
    public void Since_FewerMeasurementsThanEarlier_IsTheWholeReading()
    {
        // The series started again (a new process): what it counted since is all it has.
        var earlier = new HistogramReading([1, 2, 4], [5, 5, 5, 0], 30, 15);

        Assert.Same(s_spread, s_spread.Since(earlier));
    }

    [Fact]
    public void Since_OtherBoundaries_Throws()
    {
        var earlier = new HistogramReading([1, 3, 4], [0, 0, 0, 0], 0, 0);

        Assert.Throws<ArgumentException>(() => s_spread.Since(earlier));
    }

    private static HistogramReading Create(double[] boundaries, long[] counts)
        => new(boundaries, counts, 0, counts.Sum());
}
