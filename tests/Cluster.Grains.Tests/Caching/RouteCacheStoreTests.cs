using System.Diagnostics.Metrics;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Tests.Caching;

public sealed class RouteCacheStoreTests : IDisposable
{
    // RouteCacheSizes of a body of n bytes with content type "x": the overhead, the body and the type's UTF-16 chars.
    private const int Overhead = RouteCacheSizes.EntryOverhead + 2;

    private readonly ServiceProvider _metricsServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly InMemoryLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly RouteCacheMeterListener _meter;

    public RouteCacheStoreTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        _meter = new RouteCacheMeterListener(_metricsServices.GetRequiredService<IMeterFactory>());
    }

    [Fact]
    public void SetThenTryGet_ReturnsTheEntry_AndAccountsItsSize()
    {
        var sut = CreateSut();
        var entry = Entry(100);

        sut.Set("/r", "/r/1", entry);

        Assert.True(sut.TryGet("/r", "/r/1", out var found));
        Assert.Same(entry, found);
        Assert.False(sut.TryGet("/r", "/r/2", out _));
        Assert.False(sut.TryGet("/other", "/r/1", out _));
        Assert.Equal(1, sut.Count);
        Assert.Equal(Overhead + 100, sut.Bytes);
        Assert.Equal(entry.Size, sut.Bytes);
    }

    [Fact]
    public void Set_ReplacingAnEntry_AccountsOnlyTheNewOne()
    {
        var sut = CreateSut();

        sut.Set("/r", "/a", Entry(100));
        sut.Set("/r", "/a", Entry(40));

        Assert.Equal(1, sut.Count);
        Assert.Equal(Overhead + 40, sut.Bytes);
    }

    [Fact]
    public void RemoveAndRemoveAll_DropOnlyTheirEntries_AccountingBackToZero()
    {
        var sut = CreateSut();
        sut.Set("/blog/[slug]", "/blog/a", Entry(10));
        sut.Set("/blog/[slug]", "/blog/b", Entry(20));
        sut.Set("/blog/[slug]", "/blog/c", Entry(30));
        sut.Set("/other", "/other", Entry(40));

        var removedOne = sut.Remove("/blog/[slug]", "/blog/a");
        var removedMissing = sut.Remove("/blog/[slug]", "/blog/a");
        var removedRoute = sut.RemoveAll("/blog/[slug]");

        Assert.True(removedOne);
        Assert.False(removedMissing);
        Assert.Equal(2, removedRoute);
        Assert.Equal(1, sut.Count);
        Assert.Equal(Overhead + 40, sut.Bytes);
        Assert.Empty(sut.EntriesOf("/blog/[slug]"));
        Assert.Equal(1, sut.RemoveAll("/other"));
        Assert.Equal(0, sut.Count);
        Assert.Equal(0, sut.Bytes);
        Assert.Equal(0, sut.RemoveAll("/nothing"));
    }

    [Fact]
    public void EntriesOf_ListsThePathsOfOneRoute()
    {
        var sut = CreateSut();
        sut.Set("/blog/[slug]", "/blog/a", Entry(1));
        sut.Set("/blog/[slug]", "/blog/b", Entry(1));
        sut.Set("/blog", "/blog", Entry(1));

        var entries = sut.EntriesOf("/blog/[slug]");

        Assert.Equal(["/blog/a", "/blog/b"], entries.Select(static e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Set_OverTheCap_EvictsTheLeastRecentlyUsedUntilUnder()
    {
        // Room for three entries of 100 bytes of body.
        var sut = CreateSut(maxBytes: 3 * (Overhead + 100));
        sut.Set("/r", "/a", Entry(100));
        sut.Set("/r", "/b", Entry(100));
        sut.Set("/r", "/c", Entry(100));
        Assert.True(sut.TryGet("/r", "/a", out _));

        sut.Set("/r", "/d", Entry(100));

        Assert.Equal(["/a", "/c", "/d"], sut.EntriesOf("/r").Select(static e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(3 * (Overhead + 100), sut.Bytes);
        Assert.Equal(1, _meter.Sum("cluster.route_cache.evictions"));

        // A bigger entry makes room by evicting as many as it takes, oldest use first: /c, then /a.
        Assert.True(sut.TryGet("/r", "/d", out _));
        sut.Set("/r", "/e", Entry(250));

        Assert.Equal(["/d", "/e"], sut.EntriesOf("/r").Select(static e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(3, _meter.Sum("cluster.route_cache.evictions"));
        Assert.Equal((2 * Overhead) + 350, sut.Bytes);
        Assert.Contains(_logs.Entries, static e => e.EventId.Id == 4517 && e.Level == LogLevel.Debug);
    }

    [Fact]
    public void Set_EntryBiggerThanTheWholeCap_IsNotStored_AndTheOlderEntryOfItsPathGoes()
    {
        var sut = CreateSut(maxBytes: Overhead + 100);
        sut.Set("/r", "/a", Entry(50));

        sut.Set("/r", "/a", Entry(101));

        Assert.False(sut.TryGet("/r", "/a", out _));
        Assert.Equal(0, sut.Count);
        Assert.Equal(0, sut.Bytes);
        var log = Assert.Single(_logs.Entries, static e => e.EventId.Id == 4516);
        Assert.Equal(LogLevel.Debug, log.Level);
        Assert.Contains("/a", log.Message, StringComparison.Ordinal);
        Assert.Equal(0, _meter.Sum("cluster.route_cache.evictions"));
    }

    [Fact]
    public void Set_EntryExactlyTheCap_IsStored()
    {
        var sut = CreateSut(maxBytes: Overhead + 100);

        sut.Set("/r", "/a", Entry(100));

        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void SetIfNewer_StoresOnlyAnAbsentOrOlderEntry()
    {
        var sut = CreateSut();

        var intoEmpty = sut.SetIfNewer("/r", "/a", Entry(1, version: 5));
        var older = sut.SetIfNewer("/r", "/a", Entry(2, version: 4));
        var same = sut.SetIfNewer("/r", "/a", Entry(3, version: 5));
        var newer = sut.SetIfNewer("/r", "/a", Entry(4, version: 6));

        Assert.Equal((true, false, false, true), (intoEmpty, older, same, newer));
        Assert.True(sut.TryGet("/r", "/a", out var entry));
        Assert.Equal(6, entry.Version);
        Assert.Equal(Overhead + 4, sut.Bytes);
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void SetIfNewer_EntryBiggerThanTheCap_IsRefused()
    {
        var sut = CreateSut(maxBytes: Overhead + 10);

        Assert.False(sut.SetIfNewer("/r", "/a", Entry(11, version: 1)));
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public async Task ConcurrentSetsRemovesAndEvictions_KeepTheAccountingExact()
    {
        var sut = CreateSut(maxBytes: 40 * (Overhead + 64));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 5_000; i++)
            {
                var path = "/p/" + random.Next(100);
                switch (random.Next(4))
                {
                    case 0:
                        sut.Remove("/p/[id]", path);
                        break;
                    case 1:
                        sut.SetIfNewer("/p/[id]", path, Entry(random.Next(128), version: random.Next(1000)));
                        break;
                    default:
                        sut.Set("/p/[id]", path, Entry(random.Next(128)));
                        break;
                }

                sut.TryGet("/p/[id]", "/p/" + random.Next(100), out _);
            }
        }))).WithTimeout();

        var entries = sut.EntriesOf("/p/[id]");
        Assert.Equal(entries.Sum(static e => e.Value.Size), sut.Bytes);
        Assert.Equal(entries.Count, sut.Count);
        Assert.True(sut.Bytes <= 40 * (Overhead + 64));
        Assert.Equal(entries.Count, sut.RemoveAll("/p/[id]"));
        Assert.Equal((0, 0L), (sut.Count, sut.Bytes));
    }

    [Fact]
    public void Gauges_ReportTheStoreSizeAndEntries()
    {
        var sut = CreateSut();
        sut.Set("/r", "/a", Entry(10));
        sut.Set("/r", "/b", Entry(20));

        Assert.Equal(2, _meter.Gauge("cluster.route_cache.entries"));
        Assert.Equal((2 * Overhead) + 30, _meter.Gauge("cluster.route_cache.size"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Validator_MaxBytesNotAboveZero_FailsNamingTheSetting(long maxBytes)
    {
        var result = new RouteCacheOptionsValidator().Validate(null, new RouteCacheOptions { MaxBytes = maxBytes });

        Assert.True(result.Failed);
        Assert.Contains("Cluster:Cache:MaxBytes", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Default_Is256MiB()
        => Assert.Equal(256L * 1024 * 1024, new RouteCacheOptions().MaxBytes);

    [Fact]
    public async Task Silo_MaxBytesFromConfiguration_CapsTheStore()
    {
        await using var silo = await RouteSilo.StartAsync([new("Cluster:Cache:MaxBytes", "12345")], Route());

        Assert.Equal(12345, ((RouteCacheStore)silo.Store.Inner).MaxBytes);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Host_InvalidMaxBytes_StopsStartup(string value)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new("Cluster:Cache:MaxBytes", value)]);
        builder.Services.AddClusterRuntime().AddRouteGrains(new ClusterAppManifest { AppName = "TestApp", Routes = [Route()] });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Default));

        Assert.Contains("Cluster:Cache:MaxBytes", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _meter.Dispose();
        _loggerFactory.Dispose();
        _metricsServices.Dispose();
    }

    private static RouteDefinition Route()
        => RouteSilo.Route("/r", RouteMethods.Get, static (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty()));

    private static RouteCacheEntry Entry(int bodyBytes, long version = 1)
        => new(RouteResponse.Bytes(new byte[bodyBytes], "x"), DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, version);

    private RouteCacheStore CreateSut(long maxBytes = RouteCacheOptions.DefaultMaxBytes)
        => new(
            Options.Create(new RouteCacheOptions { MaxBytes = maxBytes }),
            new RouteCacheMetrics(_metricsServices.GetRequiredService<IMeterFactory>()),
            _loggerFactory.CreateLogger<RouteCacheStore>());
}
