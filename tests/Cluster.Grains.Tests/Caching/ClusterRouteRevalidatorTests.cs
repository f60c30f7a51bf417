using Cluster.Grains.Caching;
using Cluster.Grains.Matching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.Caching;

/// <summary>
/// Which owner a revalidation reaches and with what key, and when it completes, against a grain factory that records
/// the calls (<see cref="RevalidationGrainCalls"/>).
/// </summary>
public sealed class ClusterRouteRevalidatorTests
{
    private static readonly RouteDefinition[] s_routes =
    [
        Route("/", new RouteConfig { Dynamic = DynamicMode.ForceStatic }),
        Route("/about", new RouteConfig { Dynamic = DynamicMode.ForceStatic, Tags = ["site"] }),
        Route("/blog/[slug]", new RouteConfig { Revalidate = 60, Tags = ["blog", "site"] }),
        Route("/docs/[...path]", new RouteConfig { Dynamic = DynamicMode.Error, Tags = ["docs"] }),
        Route("/shop/[[...filters]]", new RouteConfig { Revalidate = 10 }),
        Route("/listed/[id]", RouteConfig.Default, generateStaticParams: true),
        Route("/café", new RouteConfig { Dynamic = DynamicMode.ForceStatic }),
        Route("/api/live", new RouteConfig { Tags = ["site"] }),
        Route("/api/users/[id]", new RouteConfig { Revalidate = 0, Tags = ["users"] }),
    ];

    private readonly RevalidationGrainCalls _grains = new();
    private readonly InMemoryLoggerProvider _logs = new();

    public static TheoryData<string, string, string?> ResolvedPaths => new()
    {
        // Static routes: one page, whatever spelling, so the whole route (null) is dropped.
        { "/", "/", null },
        { "/about", "/about", null },
        { "/about/", "/about", null },
        { "//about", "/about", null },
        { "/about?utm=x", "/about", null },
        { "/about#team", "/about", null },
        { "/café", "/café", null },
        { "/caf%C3%A9", "/café", null },
        { "/caf%c3%a9", "/café", null },

        // Dynamic routes: the path as a client sends it (no query, normal form, browser encoding, upper-case hex).
        { "/blog/hello", "/blog/[slug]", "/blog/hello" },
        { "/blog/hello?preview=1&x=2", "/blog/[slug]", "/blog/hello" },
        { "/blog/hello/", "/blog/[slug]", "/blog/hello" },
        { "/blog//hello", "/blog/[slug]", "/blog/hello" },
        { "/blog\\hello", "/blog/[slug]", "/blog/hello" },
        { "/blog/héllo", "/blog/[slug]", "/blog/h%C3%A9llo" },
        { "/blog/h%c3%a9llo", "/blog/[slug]", "/blog/h%C3%A9llo" },
        { "/blog/h%C3%A9llo", "/blog/[slug]", "/blog/h%C3%A9llo" },
        { "/blog/a b", "/blog/[slug]", "/blog/a%20b" },
        { "/blog/{x}<y>\"`", "/blog/[slug]", "/blog/%7Bx%7D%3Cy%3E%22%60" },
        { "/blog/😀", "/blog/[slug]", "/blog/%F0%9F%98%80" },
        { "/blog/a+b:c@d!$&'()*,;=", "/blog/[slug]", "/blog/a+b:c@d!$&'()*,;=" },
        { "/docs/a/b/c", "/docs/[...path]", "/docs/a/b/c" },
        { "/shop", "/shop/[[...filters]]", "/shop" },
        { "/shop/red/xl", "/shop/[[...filters]]", "/shop/red/xl" },
        { "/listed/alpha", "/listed/[id]", "/listed/alpha" },

        // A route's own pattern: every entry of the route, like revalidatePath('/blog/[slug]') in Next.js.
        { "/blog/[slug]", "/blog/[slug]", null },
        { "/blog/[slug]/", "/blog/[slug]", null },
        { "/docs/[...path]", "/docs/[...path]", null },
        { "/shop/[[...filters]]", "/shop/[[...filters]]", null },
    };

    [Theory]
    [MemberData(nameof(ResolvedPaths))]
    public async Task RevalidatePathAsync_PathOfCachedRoute_CallsItsOwnerWithTheKey(string path, string pattern, string? cachedPath)
    {
        var sut = CreateSut();

        var outcome = await sut.RevalidatePathAsync(path, CancellationToken.None).WithTimeout();

        var (grain, request) = Assert.Single(_grains.Calls);
        Assert.Equal(pattern, grain.Key);
        Assert.Equal(cachedPath, request.Path);
        Assert.Equal(new RevalidationOutcome(1, 1), outcome);
    }

    [Theory]
    [InlineData("/nothing/here")]
    [InlineData("/blog/a/b")]
    [InlineData("/api/live")]
    [InlineData("/api/live?x=1")]
    [InlineData("/api/users/7")]
    [InlineData("/api/users/[id]")]
    public async Task RevalidatePathAsync_NoCachedRouteServesIt_CompletesWithoutACall(string path)
    {
        var sut = CreateSut();

        var outcome = await sut.RevalidatePathAsync(path, CancellationToken.None).WithTimeout();

        Assert.Empty(_grains.Calls);
        Assert.Equal(RevalidationOutcome.None, outcome);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4551 && e.Level == LogLevel.Debug && e.Message.Contains(path, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("")]
    [InlineData("about")]
    [InlineData("?x=1")]
    [InlineData("https://shop.example/about")]
    [InlineData("/blog/../about")]
    [InlineData("/blog/./x")]
    [InlineData("/blog/%2e%2E")]
    [InlineData("/blog/a%zz")]
    [InlineData("/blog/a%")]
    [InlineData("/blog/%C3")]
    [InlineData("/blog/a\u0001b")]
    [InlineData("/blog/a%0Ab")]
    public async Task RevalidatePathAsync_BadPath_ThrowsArgumentExceptionWithoutACall(string path)
    {
        var sut = CreateSut();

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => sut.RevalidatePathAsync(path, CancellationToken.None));

        Assert.Empty(_grains.Calls);
        Assert.Equal("path", error.ParamName);
    }

    [Fact]
    public async Task RevalidatePathAsync_LoneSurrogate_ThrowsArgumentExceptionWithoutACall()
    {
        // Not theory data: xunit would turn the lone surrogate into U+FFFD on the way.
        var sut = CreateSut();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.RevalidatePathAsync("/blog/a\uD800", CancellationToken.None));

        Assert.Contains("lone surrogate", error.Message, StringComparison.Ordinal);
        Assert.Empty(_grains.Calls);
    }

    [Fact]
    public async Task RevalidatePathAsync_PathOverTheLimit_ThrowsArgumentExceptionSayingSo()
    {
        var sut = CreateSut();
        var path = "/blog/" + new string('a', 70_000);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.RevalidatePathAsync(path, CancellationToken.None));

        Assert.Contains("70006 characters", error.Message, StringComparison.Ordinal);
        Assert.Empty(_grains.Calls);
    }

    [Fact]
    public async Task RevalidatePathAsync_PathOverTheLimitOnceEncoded_ThrowsArgumentExceptionSayingSo()
    {
        // 10,000 chars, each 6 bytes of escapes: 60,006 characters once encoded, within the limit.
        var sut = CreateSut();
        await sut.RevalidatePathAsync("/blog/" + new string('é', 10_000), CancellationToken.None).WithTimeout();
        Assert.Equal(60_006, Assert.Single(_grains.Calls).Request.Path!.Length);

        // 11,000 of them: 66,006 characters, over it, though the path itself is short enough.
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sut.RevalidatePathAsync("/blog/" + new string('é', 11_000), CancellationToken.None));

        Assert.Contains("once percent-encoded", error.Message, StringComparison.Ordinal);
        Assert.Single(_grains.Calls);
    }

    [Fact]
    public async Task RevalidatePathAsync_Null_ThrowsArgumentNull()
    {
        var sut = CreateSut();

        await Assert.ThrowsAsync<ArgumentNullException>(() => sut.RevalidatePathAsync(null!, CancellationToken.None));
    }

    [Fact]
    public async Task RevalidatePathAsync_OwnerHasNotAnswered_DoesNotCompleteUntilItDoes()
    {
        var answer = new TaskCompletionSource<RouteCacheInvalidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _grains.Answer = (_, _, _) => answer.Task;
        var sut = CreateSut();

        var pending = sut.RevalidatePathAsync("/blog/a", CancellationToken.None);
        Assert.Single(_grains.Calls);
        await Task.Yield();
        Assert.False(pending.IsCompleted);

        answer.SetResult(new RouteCacheInvalidationResult { Dropped = 1 });
        Assert.Equal(new RevalidationOutcome(1, 1), await pending.WithTimeout());
    }

    [Fact]
    public async Task RevalidatePathAsync_OwnerFails_ThrowsRevalidationFailedNamingTheRoute()
    {
        var cause = new IOException("connection lost");
        _grains.Answer = (_, _, _) => Task.FromException<RouteCacheInvalidationResult>(cause);
        var sut = CreateSut();

        var error = await Assert.ThrowsAsync<RevalidationFailedException>(() => sut.RevalidatePathAsync("/blog/a?x=1", CancellationToken.None)).WaitAsync(TestTimeouts.Default);

        Assert.Equal(["/blog/[slug]"], error.Routes);
        Assert.Same(cause, error.InnerException);
        Assert.Equal("path '/blog/a?x=1'", error.Target);
        Assert.Contains("/blog/[slug]", error.Message, StringComparison.Ordinal);
        Assert.Contains(_logs.Entries, e => e.EventId.Id == 4552 && e.Level == LogLevel.Warning && e.Exception == error);
    }

    [Fact]
    public async Task RevalidatePathAsync_CallThrowsBeforeItIsSent_ThrowsRevalidationFailed()
    {
        _grains.Answer = (_, _, _) => throw new InvalidOperationException("the silo is shutting down");
        var sut = CreateSut();

        var error = await Assert.ThrowsAsync<RevalidationFailedException>(() => sut.RevalidatePathAsync("/about", CancellationToken.None)).WaitAsync(TestTimeouts.Default);

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(["/about"], error.Routes);
    }

    [Fact]
    public async Task RevalidatePathAsync_CallerCancels_ThrowsOperationCanceled()
    {
        _grains.Answer = static async (_, _, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new RouteCacheInvalidationResult();
        };
        var sut = CreateSut();
        using var cancellation = new CancellationTokenSource();

        var pending = sut.RevalidatePathAsync("/about", cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending).WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task RevalidatePathAsync_Confirmed_LogsAtDebugWithRouteCountAndTime()
    {
        var sut = CreateSut();

        await sut.RevalidatePathAsync("/blog/a", CancellationToken.None).WithTimeout();

        var entry = Assert.Single(_logs.Entries, e => e.EventId.Id == 4550);
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("path '/blog/a'", entry.Message, StringComparison.Ordinal);
        Assert.Contains("1 route owner(s) confirmed", entry.Message, StringComparison.Ordinal);
        Assert.Contains(" ms", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevalidateTagAsync_Tag_CallsEveryCachedRouteWithTheTagForAllItsEntries()
    {
        var sut = CreateSut();

        var outcome = await sut.RevalidateTagAsync("site", CancellationToken.None).WithTimeout();

        // "/api/live" has the tag too, but is not cached.
        Assert.Equal(["/about", "/blog/[slug]"], _grains.Calls.Select(static c => c.Grain.Key).Order(StringComparer.Ordinal));
        Assert.All(_grains.Calls, static c => Assert.Null(c.Request.Path));
        Assert.Equal(new RevalidationOutcome(2, 2), outcome);
    }

    [Fact]
    public async Task RevalidateTagAsync_SumsWhatTheOwnersDropped()
    {
        _grains.Answer = static (pattern, _, _) => Task.FromResult(new RouteCacheInvalidationResult { Dropped = pattern == "/about" ? 0 : 5 });
        var sut = CreateSut();

        var outcome = await sut.RevalidateTagAsync("site", CancellationToken.None).WithTimeout();

        Assert.Equal(new RevalidationOutcome(2, 5), outcome);
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("SITE")]
    [InlineData("users")]
    public async Task RevalidateTagAsync_NoCachedRouteHasTheTag_CompletesWithoutACall(string tag)
    {
        var sut = CreateSut();

        var outcome = await sut.RevalidateTagAsync(tag, CancellationToken.None).WithTimeout();

        Assert.Empty(_grains.Calls);
        Assert.Equal(RevalidationOutcome.None, outcome);
    }

    [Fact]
    public async Task RevalidateTagAsync_EmptyTag_ThrowsArgumentException()
    {
        var sut = CreateSut();

        await Assert.ThrowsAsync<ArgumentException>(() => sut.RevalidateTagAsync(string.Empty, CancellationToken.None));
        Assert.Empty(_grains.Calls);
    }

    [Fact]
    public async Task RevalidateTagAsync_CallsOwnersInParallel_AndCompletesOnlyWhenAllConfirmed()
    {
        var answers = new Dictionary<string, TaskCompletionSource<RouteCacheInvalidationResult>>(StringComparer.Ordinal)
        {
            ["/about"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
            ["/blog/[slug]"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        _grains.Answer = (pattern, _, _) => answers[pattern].Task;
        var sut = CreateSut();

        var pending = sut.RevalidateTagAsync("site", CancellationToken.None);

        // Both owners are asked before either answered.
        Assert.Equal(2, _grains.Calls.Count);
        answers["/blog/[slug]"].SetResult(new RouteCacheInvalidationResult { Dropped = 3 });
        await Task.Yield();
        Assert.False(pending.IsCompleted);

        answers["/about"].SetResult(new RouteCacheInvalidationResult { Dropped = 1 });
        Assert.Equal(new RevalidationOutcome(2, 4), await pending.WithTimeout());
    }

    [Fact]
    public async Task RevalidateTagAsync_OneOwnerFails_WaitsForTheOthersThenNamesOnlyTheFailedRoute()
    {
        var blog = new TaskCompletionSource<RouteCacheInvalidationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cause = new TimeoutException("no answer");
        _grains.Answer = (pattern, _, _) => pattern == "/about" ? Task.FromException<RouteCacheInvalidationResult>(cause) : blog.Task;
        var sut = CreateSut();

        var pending = sut.RevalidateTagAsync("site", CancellationToken.None);
        await Task.Yield();
        Assert.False(pending.IsCompleted);
        blog.SetResult(new RouteCacheInvalidationResult { Dropped = 1 });

        var error = await Assert.ThrowsAsync<RevalidationFailedException>(() => pending).WaitAsync(TestTimeouts.Default);
        Assert.Equal(["/about"], error.Routes);
        Assert.Same(cause, error.InnerException);
        Assert.Contains("1 of its 2 route(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal("tag 'site'", error.Target);
    }

    [Fact]
    public async Task RevalidateTagAsync_EveryOwnerFails_NamesEveryRouteWithAllCauses()
    {
        _grains.Answer = static (pattern, _, _) => Task.FromException<RouteCacheInvalidationResult>(new TimeoutException(pattern));
        var sut = CreateSut();

        var error = await Assert.ThrowsAsync<RevalidationFailedException>(() => sut.RevalidateTagAsync("site", CancellationToken.None)).WaitAsync(TestTimeouts.Default);

        Assert.Equal(["/about", "/blog/[slug]"], error.Routes.Order(StringComparer.Ordinal));
        var all = Assert.IsType<AggregateException>(error.InnerException);
        Assert.Equal(2, all.InnerExceptions.Count);
    }

    [Fact]
    public async Task RevalidateTagAsync_ThroughTheInterface_FailsTheSameWay()
    {
        _grains.Answer = static (_, _, _) => Task.FromException<RouteCacheInvalidationResult>(new TimeoutException());
        IRouteRevalidator sut = CreateSut();

        await Assert.ThrowsAsync<RevalidationFailedException>(() => sut.RevalidateTagAsync("blog", CancellationToken.None)).WaitAsync(TestTimeouts.Default);
        await Assert.ThrowsAsync<RevalidationFailedException>(() => sut.RevalidatePathAsync("/blog/x", CancellationToken.None)).WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task RevalidatePathAsync_GivenTheGatewaysTable_MatchesWithIt()
    {
        // A table without "/blog/[slug]": a path only it could match reaches no one, so this table was used.
        var table = RouteTable.Build([.. s_routes.Where(static r => r.Pattern != "/blog/[slug]")]);
        var sut = CreateSut(table);

        await sut.RevalidatePathAsync("/blog/x", CancellationToken.None).WithTimeout();
        Assert.Empty(_grains.Calls);

        // The pattern itself is found in the catalog, table or not.
        await sut.RevalidatePathAsync("/blog/[slug]", CancellationToken.None).WithTimeout();
        var (grain, request) = Assert.Single(_grains.Calls);
        Assert.Equal("/blog/[slug]", grain.Key);
        Assert.Null(request.Path);
    }

    [Theory]
    [InlineData("/a", "/a")]
    [InlineData("/%7e%41", "/%7E%41")]
    [InlineData("/a%", "/a%25")]
    [InlineData("/a%4", "/a%254")]
    [InlineData("/a%zz", "/a%25zz")]
    [InlineData("/ü", "/%C3%BC")]
    public void EncodeAsSent_EncodesLikeABrowser(string path, string expected)
    {
        Assert.Equal(expected, ClusterRouteRevalidator.EncodeAsSent(path));
    }

    [Fact]
    public void EncodeAsSent_NothingToChange_ReturnsTheSameInstance()
    {
        var path = "/blog/hello-world_1~x";

        Assert.Same(path, ClusterRouteRevalidator.EncodeAsSent(path));
    }

    private ClusterRouteRevalidator CreateSut(RouteTable? table = null)
    {
        var catalog = new RouteCatalog(new ClusterAppManifest { AppName = "TestApp", Routes = s_routes });
        var workers = new StatelessWorkerRoutes(catalog, new ClusterRoutesOptions());
        var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        return new ClusterRouteRevalidator(
            catalog, workers, new RouteTagIndex(catalog, workers), _grains, TimeProvider.System, factory.CreateLogger<ClusterRouteRevalidator>(), table);
    }

    private static RouteDefinition Route(string pattern, RouteConfig config, bool generateStaticParams = false)
        => new()
        {
            Pattern = pattern,
            SourceFile = $"app{pattern}/route.cs",
            HandlerType = "TestApp.Route",
            Methods = RouteMethods.Get,
            Config = config,
            CreateHandler = static _ => throw new InvalidOperationException("Revalidation never runs a handler."),
            GenerateStaticParams = generateStaticParams ? static () => ValueTask.FromResult<IEnumerable<RouteParams>>([]) : null,
        };
}
