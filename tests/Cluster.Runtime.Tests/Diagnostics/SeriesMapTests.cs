using Cluster.Runtime.Diagnostics;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class SeriesMapTests
{
    private static SeriesMap<SumSeries> CreateSut(int maxSeries = 100) => new(static () => new SumSeries(), maxSeries);

    [Fact]
    public void Get_SameObjectsAgain_ReturnsTheSameSeries()
    {
        var sut = CreateSut();
        KeyValuePair<string, object?>[] tags = [new("route", "/a"), new("status", 200)];

        var first = sut.Get(tags);
        var second = sut.Get(tags);

        Assert.Same(first, second);
        Assert.Equal(1, sut.IdentityEntryCount);
    }

    [Fact]
    public void Get_EqualValuesInOtherObjects_ReturnsTheSeriesFoundByValue()
    {
        // Arrange: the identity table knows the first objects; equal text in new strings must still be the same series.
        var sut = CreateSut();
        var first = sut.Get([new("route", "/a"), new("method", "GET")]);

        // Act
        var sameText = sut.Get([new(new string("route".AsSpan()), new string("/a".AsSpan())), new("method", new string("GET".AsSpan()))]);
        var otherOrder = sut.Get([new("method", "GET"), new("route", "/a")]);

        // Assert
        Assert.Same(first, sameText);
        Assert.Same(first, otherOrder);
    }

    [Fact]
    public void Get_DifferentValues_ReturnsDifferentSeries()
    {
        var sut = CreateSut();

        var a = sut.Get([new("route", "/a")]);
        var b = sut.Get([new("route", "/b")]);

        Assert.NotSame(a, b);
    }

    [Fact]
    public void Get_NewObjectsEveryCall_StopsMakingIdentityEntriesAtTheBudget()
    {
        // Arrange: a call site that formats its value anew on every measurement.
        var sut = CreateSut();
        var series = sut.Get([new("route", "/a")]);

        // Act
        for (var i = 0; i < 1000; i++)
        {
            Assert.Same(series, sut.Get([new("route", new string("/a".AsSpan()))]));
        }

        // Assert: at most one entry per slot in all, however many objects came by.
        Assert.InRange(sut.IdentityEntryCount, 1, SeriesMap<SumSeries>.IdentitySlots);
    }

    [Fact]
    public void Get_ObjectsSeenOnce_AllocateNothingTheNextTime()
    {
        // Arrange: more distinct objects than slots; each took an empty slot or found its slot taken.
        var sut = CreateSut();
        var values = Enumerable.Range(0, 2 * SeriesMap<SumSeries>.IdentitySlots).Select(static _ => new string("/a".AsSpan())).ToArray();
        var tags = values.Select(static v => new KeyValuePair<string, object?>("route", v)).ToArray();
        foreach (var tag in tags)
        {
            sut.Get([tag]);
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sut.Get(new ReadOnlySpan<KeyValuePair<string, object?>>(in tags[i % tags.Length]));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
        Assert.InRange(sut.IdentityEntryCount, 1, SeriesMap<SumSeries>.IdentitySlots);
    }
}
