using Cluster.Generators.Tests.Harness;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Generators.Tests;

public sealed class MiddlewareGeneratorEmitTests
{
    // Every matcher form at once: string rules (with a const, a verbatim and a raw literal), an object rule with
    // has/missing conditions, a target-typed rule with an interpolated source.
    private const string SampleMiddleware = """"
        using Cluster.Routing;

        namespace TestApp;

        public static class Middleware
        {
            private const string Api = "/api";

            public static MiddlewareConfig Config { get; } = new()
            {
                Matcher =
                [
                    Api + "/:path*",
                    @"/post/:id(\d+)",
                    new MatcherRule
                    {
                        Source = "/beta/:path*",
                        Has =
                        [
                            new MatcherCondition { Type = MatcherConditionType.Header, Key = "x-beta", Value = "1|yes" },
                            new() { Type = MatcherConditionType.Host, Value = @".*\.example\.com" },
                        ],
                        Missing = [new MatcherCondition { Type = MatcherConditionType.Cookie, Key = "opt-out" }],
                    },
                    new() { Source = $"{Api}/v{Version}/:rest*", Has = [new() { Type = MatcherConditionType.Query, Key = "debug" }] },
                    """/((?!_next|static).*)\.json""",
                ],
            };

            private const string Version = "2";

            public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Redirect("/moved" + request.Path, 308);
        }
        """";

    private static readonly Lazy<GeneratorResult> s_result = new(() => new TestApp()
        .SimpleRoute("app/route.cs", "HomeRoute")
        .Middleware(SampleMiddleware)
        .Run());

    private static readonly Lazy<LoadedApp> s_app = new(() => s_result.Value.Load());

    [Fact]
    public void Load_NoMiddlewareFile_MiddlewareIsNull()
    {
        var app = new TestApp().SimpleRoute("app/route.cs", "HomeRoute").Run().Load();

        Assert.Null(app.Manifest.Middleware);
    }

    [Fact]
    public void Run_ValidMiddleware_ReportsNothing()
    {
        Assert.True(s_result.Value.Diagnostics.IsEmpty, s_result.Value.Describe());
    }

    [Fact]
    public void Manifest_Middleware_NamesFileAndClass()
    {
        var middleware = s_app.Value.Manifest.Middleware;

        Assert.NotNull(middleware);
        Assert.Equal("middleware.cs", middleware.SourceFile);
        Assert.Equal("TestApp.Middleware", middleware.HandlerType);
    }

    [Fact]
    public void Manifest_Matchers_KeepSourcesInOrderWithConstantsEvaluated()
    {
        var matchers = s_app.Value.Manifest.Middleware!.Matchers;

        Assert.Equal(
            ["/api/:path*", @"/post/:id(\d+)", "/beta/:path*", "/api/v2/:rest*", @"/((?!_next|static).*)\.json"],
            matchers.Select(m => m.Source));
    }

    [Theory]
    [InlineData(0, "/api", true)]
    [InlineData(0, "/api/", true)]
    [InlineData(0, "/api/users/1", true)]
    [InlineData(0, "/apix", false)]
    [InlineData(0, "/API/users", false)]
    [InlineData(1, "/post/12", true)]
    [InlineData(1, "/post/ab", false)]
    [InlineData(2, "/beta", true)]
    [InlineData(3, "/api/v2/x/y", true)]
    [InlineData(3, "/api/v3/x", false)]
    [InlineData(4, "/a/b.json", true)]
    [InlineData(4, "/static/b.json", false)]
    [InlineData(4, "/a/bXjson", false)]
    public void Manifest_MatcherPath_MatchesLikeNextJs(int index, string path, bool expected)
    {
        var matcher = s_app.Value.Manifest.Middleware!.Matchers[index];

        Assert.Equal(expected, matcher.Path.IsMatch(path));
        if (matcher.Shape is { } shape)
        {
            Assert.Equal(expected, shape.IsMatch(path));
        }
    }

    [Fact]
    public void Manifest_SimpleMatcher_CarriesRegexFreeShape()
    {
        var matchers = s_app.Value.Manifest.Middleware!.Matchers;

        var shape = matchers[0].Shape;
        Assert.NotNull(shape);
        Assert.Equal("/api", shape.Literal);
        Assert.Equal(MiddlewarePathTail.ZeroOrMoreSegments, shape.Tail);
        Assert.Equal(MiddlewarePathTail.ZeroOrMoreSegments, matchers[2].Shape?.Tail);
        Assert.Equal("/api/v2", matchers[3].Shape?.Literal);
    }

    [Fact]
    public void Manifest_MatcherWithRegexGroup_HasNoShape()
    {
        var matchers = s_app.Value.Manifest.Middleware!.Matchers;

        Assert.Null(matchers[1].Shape);
        Assert.Null(matchers[4].Shape);
    }

    [Fact]
    public void Manifest_StringRules_HaveNoConditions()
    {
        var matcher = s_app.Value.Manifest.Middleware!.Matchers[0];

        Assert.Empty(matcher.Has);
        Assert.Empty(matcher.Missing);
    }

    [Fact]
    public void Manifest_ObjectRule_HasCompiledConditions()
    {
        var matcher = s_app.Value.Manifest.Middleware!.Matchers[2];

        Assert.Collection(
            matcher.Has,
            header =>
            {
                Assert.Equal(MatcherConditionType.Header, header.Type);
                Assert.Equal("x-beta", header.Key);
                Assert.NotNull(header.Value);
                Assert.Matches(header.Value, "yes");
                Assert.Matches(header.Value, "1");
                Assert.DoesNotMatch(header.Value, "yess");
                Assert.DoesNotMatch(header.Value, "11");
            },
            host =>
            {
                Assert.Equal(MatcherConditionType.Host, host.Type);
                Assert.Null(host.Key);
                Assert.NotNull(host.Value);
                Assert.Matches(host.Value, "shop.example.com");
                Assert.DoesNotMatch(host.Value, "example.com");
            });
        var missing = Assert.Single(matcher.Missing);
        Assert.Equal(MatcherConditionType.Cookie, missing.Type);
        Assert.Equal("opt-out", missing.Key);
        Assert.Null(missing.Value);
    }

    [Fact]
    public void Manifest_TargetTypedRule_HasConditionWithoutValue()
    {
        var condition = Assert.Single(s_app.Value.Manifest.Middleware!.Matchers[3].Has);

        Assert.Equal(MatcherConditionType.Query, condition.Type);
        Assert.Equal("debug", condition.Key);
        Assert.Null(condition.Value);
    }

    [Fact]
    public async Task Invoke_SyncRun_ReturnsRunsResult()
    {
        var result = await s_app.Value.InvokeMiddlewareAsync("http://localhost/api/x");

        Assert.Equal(MiddlewareResultKind.Redirect, result.Kind);
        Assert.Equal("/moved/api/x", result.Destination);
        Assert.Equal(308, result.Status);
    }

    [Fact]
    public void GeneratedSource_SyncRun_IsWrappedWithoutAllocation()
    {
        Assert.Contains(
            "Invoke = static (request, context) => new global::System.Threading.Tasks.ValueTask<global::Cluster.Routing.MiddlewareResult>(global::TestApp.Middleware.Run(request)!),",
            s_result.Value.GeneratedSource,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static MiddlewareResult Run(RouteRequest request) => Moved(request);", false)]
    [InlineData("public static MiddlewareResult Run(RouteRequest request, MiddlewareContext context) { context.WaitUntil(Task.CompletedTask); return Moved(request); }", true)]
    [InlineData("public static async Task<MiddlewareResult> Run(RouteRequest request) { await Task.Yield(); return Moved(request); }", false)]
    [InlineData("public static Task<MiddlewareResult> Run(RouteRequest request, MiddlewareContext context) { context.WaitUntil(Task.CompletedTask); return Task.FromResult(Moved(request)); }", true)]
    [InlineData("public static ValueTask<MiddlewareResult> Run(RouteRequest request) => new(Moved(request));", false)]
    [InlineData("public static async ValueTask<MiddlewareResult> Run(RouteRequest request, MiddlewareContext context) { await Task.Yield(); context.WaitUntil(Task.CompletedTask); return Moved(request); }", true)]
    public async Task Invoke_EverySupportedSignature_CallsRunAndReturnsItsResult(string run, bool usesContext)
    {
        // Arrange
        var app = new TestApp()
            .Middleware(MiddlewareClass(run + "\n    private static MiddlewareResult Moved(RouteRequest request) => MiddlewareResult.Redirect(\"/moved\" + request.Path);"))
            .Run()
            .Load();
        var backgroundTasks = new List<Task>();

        // Act
        var result = await app.InvokeMiddlewareAsync("http://localhost/a/b", backgroundTasks.Add);

        // Assert
        Assert.Equal(MiddlewareResultKind.Redirect, result.Kind);
        Assert.Equal("/moved/a/b", result.Destination);
        Assert.Equal(307, result.Status);
        Assert.Equal(usesContext ? 1 : 0, backgroundTasks.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("public static MiddlewareConfig Config { get; } = new();")]
    [InlineData("public static MiddlewareConfig Config { get; } = new MiddlewareConfig { };")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = null };")]
    public void Manifest_NoMatcher_HasNoMatchers(string config)
    {
        var app = new TestApp()
            .Middleware(MiddlewareClass(config + "\n    public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();"))
            .Run()
            .Load();

        Assert.NotNull(app.Manifest.Middleware);
        Assert.Empty(app.Manifest.Middleware.Matchers);
    }

    [Theory]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [\"/a/:x\"] };")]
    [InlineData("public static MiddlewareConfig Config => new() { Matcher = [\"/a/:x\"] };")]
    [InlineData("public static MiddlewareConfig Config { get => new MiddlewareConfig { Matcher = [\"/a/:x\"] }; }")]
    [InlineData("public static readonly MiddlewareConfig Config = new() { Matcher = new MatcherRule[] { \"/a/:x\" } };")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = new List<MatcherRule> { \"/a/:x\" } };")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = new[] { new MatcherRule { Source = \"/a/:x\" } } };")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [MatcherRule.FromString(\"/a/:x\")] };")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [(MatcherRule)(\"/a\" + \"/:x\")] };")]
    [InlineData("private const string A = \"/a\"; private const string X = A + \"/:x\"; public static MiddlewareConfig Config { get; } = new() { Matcher = [Middleware.X] };")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [\"\"\"\n        /a/:x\n        \"\"\"] };")]
    public void Manifest_MatcherForms_AreReadAtBuildTime(string config)
    {
        var app = new TestApp()
            .Middleware(MiddlewareClass(config + "\n    public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();"))
            .Run()
            .Load();

        var matcher = Assert.Single(app.Manifest.Middleware!.Matchers);
        Assert.Equal("/a/:x", matcher.Source);
        Assert.Matches(matcher.Path, "/a/1");
        Assert.DoesNotMatch(matcher.Path, "/a/1/2");
    }

    [Fact]
    public void Manifest_ClassInBlockNamespace_UsesItsFullName()
    {
        var app = new TestApp()
            .Middleware("""
                using Cluster.Routing;

                namespace Shop.Edge
                {
                    public static class Gate
                    {
                        public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();
                    }
                }
                """)
            .Run()
            .Load();

        Assert.Equal("Shop.Edge.Gate", app.Manifest.Middleware!.HandlerType);
    }

    [Fact]
    public void Manifest_RegexWithQuote_IsEscapedInGeneratedLiteral()
    {
        var result = new TestApp()
            .Middleware(MiddlewareClass("""
                public static MiddlewareConfig Config { get; } = new()
                {
                    Matcher = [new MatcherRule { Source = "/q/(\"|')", Has = [new() { Key = "x", Value = "a\"b\\d\t" }] }],
                };
                public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();
                """))
            .Run();

        var matcher = Assert.Single(result.Load().Manifest.Middleware!.Matchers);
        Assert.Matches(matcher.Path, "/q/\"");
        Assert.Matches(matcher.Path, "/q/'");
        Assert.Matches(matcher.Has[0].Value!, "a\"b7\t");
    }

    private static string MiddlewareClass(string members) => $$"""
        using Cluster.Routing;

        namespace TestApp;

        public static class Middleware
        {
            {{members}}
        }
        """;
}
