using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Tests.Caching;

public sealed class StaticParamsIndexTests
{
    [Theory]
    [InlineData("/blog/a", false)]
    [InlineData("/blog/hello%20world", false)]
    [InlineData("/blog/caf%C3%A9", false)]
    [InlineData("/blog/caf%c3%a9", false)] // another spelling of the same value
    [InlineData("/blog/%61", false)] // "a", escaped
    [InlineData("/blog/a%2Fb", false)]
    [InlineData("/blog/b", true)]
    [InlineData("/blog/A", true)] // case-sensitive, as routing is
    [InlineData("/blog/hello world2", true)]
    [InlineData("/blog/caf%C3%A9s", true)]
    public async Task IsUnlisted_DynamicParamsFalse_TrueOnlyForPathsTheFunctionDoesNotList(string path, bool unlisted)
    {
        var sut = CreateSut(out _, Route("/blog/[slug]", dynamicParams: false, Listing("a", "hello world", "café", "a/b")));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(unlisted, sut.IsUnlisted("/blog/[slug]", path));
    }

    [Fact]
    public async Task IsUnlisted_DynamicParamsTrue_FalseForEveryPath_ButThePathsAreListedForPrerendering()
    {
        var sut = CreateSut(out _, Route("/blog/[slug]", dynamicParams: true, Listing("a", "b")));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.False(sut.IsUnlisted("/blog/[slug]", "/blog/zzz"));
        Assert.Equal(["/blog/a", "/blog/b"], sut.Listed.Select(static p => p.Path));
        Assert.All(sut.Listed, static p => Assert.Equal("/blog/[slug]", p.Pattern));
        Assert.Equal("b", sut.Listed[1].Params["slug"]);
        Assert.Equal(1, sut.RouteCount);
    }

    [Fact]
    public async Task IsUnlisted_RouteWithoutGenerateStaticParams_IsFalseEvenWithDynamicParamsFalse()
    {
        var sut = CreateSut(out _, Route("/plain/[id]", dynamicParams: false, generate: null), Route("/other", dynamicParams: false, generate: null));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.False(sut.IsUnlisted("/plain/[id]", "/plain/1"));
        Assert.False(sut.IsUnlisted("/other", "/other"));
        Assert.False(sut.IsUnlisted("/unknown/[x]", "/unknown/1"));
        Assert.Empty(sut.Listed);
        Assert.Equal(0, sut.RouteCount);
    }

    [Fact]
    public void IsUnlisted_BeforeInitialisation_IsFalse()
    {
        var sut = CreateSut(out _, Route("/blog/[slug]", dynamicParams: false, Listing("a")));

        Assert.False(sut.IsInitialized);
        Assert.False(sut.IsUnlisted("/blog/[slug]", "/blog/b"));
    }

    [Fact]
    public async Task IsUnlisted_ListedAndUnlistedPaths_AllocatesNothing()
    {
        var sut = CreateSut(out _, Route("/blog/[slug]", dynamicParams: false, Listing("a", "café")));
        await sut.InitializeAsync(CancellationToken.None).WithTimeout();
        string[] paths = ["/blog/a", "/blog/b", "/blog/caf%c3%a9", "/blog/caf%C3%A9x", "/blog/" + new string('x', 300) + "%20"];
        foreach (var path in paths)
        {
            sut.IsUnlisted("/blog/[slug]", path);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            foreach (var path in paths)
            {
                sut.IsUnlisted("/blog/[slug]", path);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public async Task InitializeAsync_GenerateStaticParamsThrows_LogsErrorNamingTheRouteAndFailsOpen_OthersStillIndexed()
    {
        var sut = CreateSut(
            out var logs,
            Route("/broken/[id]", dynamicParams: false, () => throw new InvalidOperationException("database down")),
            Route("/broken-later/[id]", dynamicParams: false, async () =>
            {
                await Task.Yield();
                throw new InvalidOperationException("database down");
            }),
            Route("/lazy/[id]", dynamicParams: false, () => new ValueTask<IEnumerable<RouteParams>>(ThrowingEnumeration())),
            Route("/fine/[id]", dynamicParams: false, Ids("1")));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.False(sut.IsUnlisted("/broken/[id]", "/broken/anything"));
        Assert.False(sut.IsUnlisted("/broken-later/[id]", "/broken-later/anything"));
        Assert.False(sut.IsUnlisted("/lazy/[id]", "/lazy/anything"));
        Assert.True(sut.IsUnlisted("/fine/[id]", "/fine/2"));
        Assert.Equal(["/fine/1"], sut.Listed.Select(static p => p.Path));
        foreach (var pattern in new[] { "/broken/[id]", "/broken-later/[id]", "/lazy/[id]" })
        {
            var error = Assert.Single(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(pattern + " ", StringComparison.Ordinal));
            Assert.Equal(4535, error.EventId.Id);
            Assert.IsType<InvalidOperationException>(error.Exception);
            Assert.Contains("fails open", error.Message, StringComparison.Ordinal);
        }

        static IEnumerable<RouteParams> ThrowingEnumeration()
        {
            yield return RouteParams.Of(("id", "1"));
            throw new InvalidOperationException("database down");
        }
    }

    [Fact]
    public async Task InitializeAsync_GenerateStaticParamsHangs_TimesOutLogsErrorAndFailsOpen()
    {
        using var release = new CancellationTokenSource();
        var sut = CreateSut(
            out var logs,
            TimeSpan.FromMilliseconds(100),
            Route("/hangs/[id]", dynamicParams: false, async () =>
            {
                await Task.Delay(Timeout.Infinite, release.Token);
                return [];
            }),
            Route("/blocks/[id]", dynamicParams: false, () =>
            {
                // A function that blocks its thread rather than awaiting: the index must not block with it.
                release.Token.WaitHandle.WaitOne();
                return new ValueTask<IEnumerable<RouteParams>>([]);
            }),
            Route("/fine/[id]", dynamicParams: false, Ids("1")));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();
        await release.CancelAsync();

        Assert.False(sut.IsUnlisted("/hangs/[id]", "/hangs/1"));
        Assert.False(sut.IsUnlisted("/blocks/[id]", "/blocks/1"));
        Assert.True(sut.IsUnlisted("/fine/[id]", "/fine/2"));
        var timedOut = logs.Entries.Where(static e => e.EventId.Id == 4536).ToArray();
        Assert.Equal(2, timedOut.Length);
        Assert.All(timedOut, static e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.Contains(timedOut, static e => e.Message.Contains("/hangs/[id]", StringComparison.Ordinal));
        Assert.Contains(timedOut, static e => e.Message.Contains("/blocks/[id]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_GenerateStaticParamsReturnsNull_LogsErrorAndFailsOpen()
    {
        var sut = CreateSut(out var logs, Route("/null/[id]", dynamicParams: false, () => new ValueTask<IEnumerable<RouteParams>>((IEnumerable<RouteParams>)null!)));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.False(sut.IsUnlisted("/null/[id]", "/null/1"));
        var error = Assert.Single(logs.Entries, static e => e.EventId.Id == 4537);
        Assert.Contains("/null/[id]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_InvalidParamSets_AreLoggedNamingTheRouteAndSkipped_TheOthersListed()
    {
        var sut = CreateSut(
            out var logs,
            Route("/docs/[...slug]", dynamicParams: false, () => new ValueTask<IEnumerable<RouteParams>>(
            [
                RouteParams.Of(("slug", new[] { "a", "b" })),
                RouteParams.Of(("slug", "not-an-array")),
                RouteParams.Of(("other", new[] { "x" })),
                null!,
                RouteParams.Of(("slug", new[] { ".." })),
                RouteParams.Of(("slug", new[] { "a", "b" })), // a duplicate: listed once
                RouteParams.Of(("slug", new[] { "c" })),
            ])));

        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(["/docs/a/b", "/docs/c"], sut.Listed.Select(static p => p.Path));
        Assert.False(sut.IsUnlisted("/docs/[...slug]", "/docs/a/b"));
        Assert.True(sut.IsUnlisted("/docs/[...slug]", "/docs/x"));
        var errors = logs.Entries.Where(static e => e.EventId.Id == 4538).ToArray();
        Assert.Equal(4, errors.Length);
        Assert.All(errors, static e =>
        {
            Assert.Equal(LogLevel.Error, e.Level);
            Assert.Contains("/docs/[...slug]", e.Message, StringComparison.Ordinal);
        });
        Assert.Contains(errors, static e => e.Message.Contains("takes a string array", StringComparison.Ordinal));
        Assert.Contains(errors, static e => e.Message.Contains("'slug' is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InitializeAsync_CalledManyTimes_EvaluatesEachFunctionOnce()
    {
        var calls = 0;
        var sut = CreateSut(out _, Route("/blog/[slug]", dynamicParams: false, () =>
        {
            Interlocked.Increment(ref calls);
            return new ValueTask<IEnumerable<RouteParams>>([RouteParams.Of(("slug", "a"))]);
        }));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => sut.InitializeAsync(CancellationToken.None))).WithTimeout();
        await sut.InitializeAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(1, calls);
        Assert.True(sut.IsInitialized);
    }

    [Fact]
    public async Task AddStaticParams_HostStart_BuildsTheIndexBeforeStartCompletes()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddSingleton<IRouteCatalog>(new RouteCatalog(Manifest(Route("/blog/[slug]", dynamicParams: false, Listing("a")))));
        services.AddStaticParams();
        services.AddStaticParams();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None).WithTimeout();
        }

        var index = provider.GetRequiredService<StaticParamsIndex>();
        Assert.True(index.IsInitialized);
        Assert.True(index.IsUnlisted("/blog/[slug]", "/blog/b"));
        Assert.Single(provider.GetServices<IHostedService>());
    }

    [Theory]
    [InlineData("Cluster:Cache:PrerenderConcurrency", "0")]
    [InlineData("Cluster:Cache:PrerenderConcurrency", "-1")]
    [InlineData("Cluster:Cache:StaticParamsTimeout", "00:00:00")]
    [InlineData("Cluster:Cache:StaticParamsTimeout", "-00:00:01")]
    public void AddStaticParams_OutOfRangeSetting_FailsValidationNamingIt(string key, string value)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build());
        services.AddStaticParams();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StaticParamsOptions>>().Value);

        Assert.Contains(key[(key.LastIndexOf(':') + 1)..], error.Message, StringComparison.Ordinal);
    }

    private static StaticParamsIndex CreateSut(out InMemoryLoggerProvider logs, params RouteDefinition[] routes)
        => CreateSut(out logs, TimeSpan.FromSeconds(30), routes);

    private static StaticParamsIndex CreateSut(out InMemoryLoggerProvider logs, TimeSpan timeout, params RouteDefinition[] routes)
    {
        var provider = new InMemoryLoggerProvider();
        logs = provider;
        var loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider));
        return new StaticParamsIndex(
            new RouteCatalog(Manifest(routes)),
            Options.Create(new StaticParamsOptions { StaticParamsTimeout = timeout }),
            TimeProvider.System,
            loggerFactory.CreateLogger<StaticParamsIndex>());
    }

    private static ClusterAppManifest Manifest(params RouteDefinition[] routes) => new() { AppName = "TestApp", Routes = routes };

    private static Func<ValueTask<IEnumerable<RouteParams>>> Listing(params string[] slugs)
        => () => new ValueTask<IEnumerable<RouteParams>>(slugs.Select(static s => RouteParams.Of(("slug", s))).ToArray());

    private static Func<ValueTask<IEnumerable<RouteParams>>> Ids(params string[] ids)
        => () => new ValueTask<IEnumerable<RouteParams>>(ids.Select(static s => RouteParams.Of(("id", s))).ToArray());

    private static RouteDefinition Route(string pattern, bool dynamicParams, Func<ValueTask<IEnumerable<RouteParams>>>? generate) => new()
    {
        Pattern = pattern,
        SourceFile = $"app{pattern}/route.cs",
        HandlerType = "TestApp.Route",
        Methods = RouteMethods.Get,
        Config = new RouteConfig { DynamicParams = dynamicParams },
        CreateHandler = static _ => throw new NotSupportedException(),
        GenerateStaticParams = generate,
    };
}
