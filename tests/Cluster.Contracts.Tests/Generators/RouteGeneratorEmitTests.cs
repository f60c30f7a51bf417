using Cluster.Generators.Tests.Harness;
using Cluster.Routing;

namespace Cluster.Generators.Tests;

public sealed class RouteGeneratorEmitTests
{
    private static readonly Lazy<GeneratorResult> s_result = new(() => CreateApp().Run());
    private static readonly Lazy<LoadedApp> s_app = new(() => s_result.Value.Load());

    [Fact]
    public void Run_ValidApp_ReportsNothing()
    {
        Assert.True(s_result.Value.Diagnostics.IsEmpty, s_result.Value.Describe());
    }

    [Fact]
    public void Manifest_Routes_AreSortedBySourceFileWithNormalisedPatterns()
    {
        var routes = s_app.Value.Manifest.Routes;

        Assert.Equal(
            [
                "app/%5Fescaped/route.cs",
                "app/(marketing)/about/route.cs",
                "app/api/users/[id]/route.cs",
                "app/docs/[...slug]/route.cs",
                "app/feed/route.cs",
                "app/products/route.cs",
                "app/route.cs",
                "app/shop/[[...slug]]/route.cs",
            ],
            routes.Select(r => r.SourceFile));
        Assert.Equal(
            ["/_escaped", "/about", "/api/users/[id]", "/docs/[...slug]", "/feed", "/products", "/", "/shop/[[...slug]]"],
            routes.Select(r => r.Pattern));
    }

    [Fact]
    public void Manifest_AppNameAndHandlerType_NameTheAppAssemblyAndClass()
    {
        Assert.Equal(TestApp.AppAssemblyName, s_app.Value.Manifest.AppName);
        Assert.Equal("TestApp.UserRoute", s_app.Value.RouteFor("/api/users/[id]").HandlerType);
    }

    [Theory]
    [InlineData("/", RouteMethods.Get)]
    [InlineData("/api/users/[id]", RouteMethods.Get | RouteMethods.Post)]
    [InlineData("/products", RouteMethods.Get | RouteMethods.Delete)]
    [InlineData("/_escaped", RouteMethods.Head | RouteMethods.Options)]
    [InlineData("/feed", RouteMethods.Get | RouteMethods.Post | RouteMethods.Put)]
    public void Manifest_Methods_AreTheImplementedHandlers(string pattern, RouteMethods expected)
    {
        Assert.Equal(expected, s_app.Value.RouteFor(pattern).Methods);
    }

    [Fact]
    public async Task InvokeAsync_StaticSyncHandler_ReturnsResponse()
    {
        var response = await LoadedApp.InvokeAsync(s_app.Value.RouteFor("/"), RouteMethod.Get, "http://localhost/");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Equal("home", LoadedApp.BodyOf(response));
    }

    [Fact]
    public async Task InvokeAsync_HandlerWithRequestAndContext_SeesParams()
    {
        var response = await LoadedApp.InvokeAsync(
            s_app.Value.RouteFor("/api/users/[id]"),
            RouteMethod.Get,
            "http://localhost/api/users/123",
            RouteParams.Of(("id", "123")));

        Assert.NotNull(response);
        Assert.Equal("{\"id\":\"123\"}", LoadedApp.BodyOf(response));
    }

    [Fact]
    public async Task InvokeAsync_TaskHandler_ReturnsAwaitedResponse()
    {
        var response = await LoadedApp.InvokeAsync(
            s_app.Value.RouteFor("/api/users/[id]"),
            RouteMethod.Post,
            "http://localhost/api/users/1",
            body: "hello");

        Assert.NotNull(response);
        Assert.Equal(201, response.Status);
        Assert.Equal("hello", LoadedApp.BodyOf(response));
    }

    [Fact]
    public async Task InvokeAsync_PendingTaskHandlerWithoutParameters_ReturnsAwaitedResponse()
    {
        var response = await LoadedApp.InvokeAsync(s_app.Value.RouteFor("/about"), RouteMethod.Get, "http://localhost/about");

        Assert.NotNull(response);
        Assert.Equal("about", LoadedApp.BodyOf(response));
    }

    [Fact]
    public async Task InvokeAsync_InstanceValueTaskHandler_UsesConstructorServices()
    {
        var services = CreateServices();

        var response = await LoadedApp.InvokeAsync(s_app.Value.RouteFor("/products"), RouteMethod.Get, "http://localhost/products", services: services);

        Assert.NotNull(response);
        Assert.Equal("{\"count\":3,\"hasClock\":false}", LoadedApp.BodyOf(response));
    }

    [Fact]
    public async Task InvokeAsync_StaticMethodOnInstanceClass_ReturnsResponse()
    {
        var response = await LoadedApp.InvokeAsync(s_app.Value.RouteFor("/products"), RouteMethod.Delete, "http://localhost/products", services: CreateServices());

        Assert.NotNull(response);
        Assert.Equal(204, response.Status);
    }

    [Fact]
    public async Task InvokeAsync_HeadAndOptionsHandlers_ReturnResponses()
    {
        var route = s_app.Value.RouteFor("/_escaped");

        var head = await LoadedApp.InvokeAsync(route, RouteMethod.Head, "http://localhost/_escaped");
        var options = await LoadedApp.InvokeAsync(route, RouteMethod.Options, "http://localhost/_escaped");

        Assert.Equal(200, head?.Status);
        Assert.Equal(204, options?.Status);
    }

    [Theory]
    [InlineData(RouteMethod.Get)]
    [InlineData(RouteMethod.Post)]
    [InlineData(RouteMethod.Put)]
    public async Task InvokeAsync_HandlersDeclaredNullable_PassNullThrough(RouteMethod method)
    {
        var response = await LoadedApp.InvokeAsync(s_app.Value.RouteFor("/feed"), method, "http://localhost/feed");

        Assert.Null(response);
    }

    [Fact]
    public async Task InvokeAsync_MethodNotImplemented_Throws()
    {
        var route = s_app.Value.RouteFor("/");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LoadedApp.InvokeAsync(route, RouteMethod.Delete, "http://localhost/"));

        Assert.Contains("Delete", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateHandler_StaticClass_ReturnsCachedSingleton()
    {
        var route = s_app.Value.RouteFor("/");

        Assert.Same(route.CreateHandler(TestServiceProvider.Empty), route.CreateHandler(TestServiceProvider.Empty));
    }

    [Fact]
    public void CreateHandler_InstanceClass_BuildsNewHandlerEachTime()
    {
        var route = s_app.Value.RouteFor("/products");
        var services = CreateServices();

        Assert.NotSame(route.CreateHandler(services), route.CreateHandler(services));
    }

    [Fact]
    public void CreateHandler_MissingService_ThrowsNamingServiceAndRoute()
    {
        var route = s_app.Value.RouteFor("/products");

        var exception = Assert.Throws<InvalidOperationException>(() => route.CreateHandler(TestServiceProvider.Empty));

        Assert.Contains("TestApp.Catalog", exception.Message, StringComparison.Ordinal);
        Assert.Contains("/products", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_DeclaredOnClass_IsCarried()
    {
        var user = s_app.Value.RouteFor("/api/users/[id]").Config;
        var shop = s_app.Value.RouteFor("/shop/[[...slug]]").Config;

        Assert.Equal(DynamicMode.ForceDynamic, user.Dynamic);
        Assert.Equal(60, shop.Revalidate);
        Assert.Equal(["shop"], shop.Tags);
        Assert.False(shop.DynamicParams);
    }

    [Fact]
    public void Config_NotDeclared_IsDefault()
    {
        Assert.Same(RouteConfig.Default, s_app.Value.RouteFor("/").Config);
    }

    [Theory]
    [InlineData("/shop/[[...slug]]", "[{},{\"slug\":[\"a\",\"b\"]}]")]
    [InlineData("/docs/[...slug]", "[{\"slug\":[\"intro\"]}]")]
    [InlineData("/feed", "[]")]
    public async Task GenerateStaticParams_AnyShape_IsCarried(string pattern, string expectedJson)
    {
        var generate = s_app.Value.RouteFor(pattern).GenerateStaticParams;

        Assert.NotNull(generate);
        var sets = await generate();
        Assert.Equal(expectedJson, System.Text.Json.JsonSerializer.Serialize(sets.ToList()));
    }

    [Fact]
    public void GenerateStaticParams_NotDeclared_IsNull()
    {
        Assert.Null(s_app.Value.RouteFor("/").GenerateStaticParams);
    }

    [Fact]
    public void GeneratedSource_Shape_IsManifestClassWithFullyQualifiedNames()
    {
        var source = s_result.Value.GeneratedSource!;

        Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", source.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("namespace Cluster.Generated;", source, StringComparison.Ordinal);
        Assert.Contains("public static class AppManifest", source, StringComparison.Ordinal);
        Assert.Contains("Methods = global::Cluster.Routing.RouteMethods.Get | global::Cluster.Routing.RouteMethods.Post,", source, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Reflection", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Twice_GeneratesIdenticalSource()
    {
        Assert.Equal(s_result.Value.GeneratedSource, CreateApp().Run().GeneratedSource);
    }

    [Fact]
    public void Run_CustomManifestType_EmitsThatClass()
    {
        var result = new TestApp().SimpleRoute("app/route.cs", "HomeRoute").WithManifestType("My.Host.Routes").Run();

        var app = result.Load("My.Host.Routes");

        Assert.Equal("/", Assert.Single(app.Manifest.Routes).Pattern);
    }

    [Fact]
    public async Task Run_AppInHostCompilation_ResolvesRouteClasses()
    {
        var result = new TestApp().SimpleRoute("app/route.cs", "HomeRoute").InHostCompilation().Run();

        var app = result.Load();

        Assert.Equal(TestApp.HostAssemblyName, app.Manifest.AppName);
        var response = await LoadedApp.InvokeAsync(Assert.Single(app.Manifest.Routes), RouteMethod.Get, "http://localhost/");
        Assert.Equal("HomeRoute", LoadedApp.BodyOf(response!));
    }

    [Fact]
    public void Run_NoRoutes_EmitsEmptyManifest()
    {
        var result = new TestApp().Source("Services/Catalog.cs", "namespace TestApp;\n\npublic sealed class Catalog\n{\n}\n").Run();

        Assert.Empty(result.Load().Manifest.Routes);
    }

    private static TestServiceProvider CreateServices() =>
        new(new Dictionary<Type, object> { [s_app.Value.AppAssembly.GetType("TestApp.Catalog", throwOnError: true)!] = s_app.Value.CreateAppObject("TestApp.Catalog") });

    private static TestApp CreateApp() => new TestApp()
        .Source("Services/Catalog.cs", """
            namespace TestApp;

            public sealed class Catalog
            {
                public int Count => 3;
            }

            public interface IClock
            {
            }
            """)
        .Route("app/route.cs", """
            using Cluster.Routing;

            namespace TestApp;

            public static class HomeRoute
            {
                public static RouteResponse GET() => RouteResponse.Text("home");
            }
            """)
        .Route("app/api/users/[id]/route.cs", """
            using Cluster.Routing;

            namespace TestApp
            {
                public static class UserRoute
                {
                    public static RouteConfig Config { get; } = new() { Dynamic = DynamicMode.ForceDynamic };

                    public static RouteResponse GET(RouteRequest request, RouteContext context) => RouteResponse.Json(context.Params);

                    public static async Task<RouteResponse> POST(RouteRequest request)
                    {
                        var body = await request.ReadTextAsync();
                        return RouteResponse.Text(body, 201);
                    }
                }
            }
            """)
        .Route("app/products/route.cs", """
            using Cluster.Routing;

            namespace TestApp;

            public sealed class ProductsRoute
            {
                private readonly Catalog _catalog;
                private readonly IClock? _clock;

                public ProductsRoute(Catalog catalog, IClock? clock)
                {
                    _catalog = catalog;
                    _clock = clock;
                }

                public async ValueTask<RouteResponse> GET()
                {
                    await Task.Yield();
                    return RouteResponse.Json(new { count = _catalog.Count, hasClock = _clock is not null });
                }

                public static RouteResponse DELETE() => RouteResponse.Empty();
            }
            """)
        .Route("app/shop/[[...slug]]/route.cs", """
            using Cluster.Routing;

            namespace TestApp.Shop;

            public static class ShopRoute
            {
                public static RouteConfig Config { get; } = new() { Revalidate = 60, Tags = ["shop"], DynamicParams = false };

                public static IEnumerable<RouteParams> GenerateStaticParams() =>
                    [RouteParams.Empty, RouteParams.Of(("slug", new[] { "a", "b" }))];

                public static RouteResponse GET(RouteRequest request, RouteContext context) => RouteResponse.Json(context.Params);
            }
            """)
        .Route("app/docs/[...slug]/route.cs", """
            using Cluster.Routing;

            namespace TestApp;

            public static class DocsRoute
            {
                public static async Task<IEnumerable<RouteParams>> GenerateStaticParams()
                {
                    await Task.Yield();
                    return [RouteParams.Of(("slug", new[] { "intro" }))];
                }

                public static RouteResponse GET() => RouteResponse.Text("docs");
            }
            """)
        .Route("app/feed/route.cs", """
            using Cluster.Routing;

            namespace TestApp;

            public static class FeedRoute
            {
                public static ValueTask<IEnumerable<RouteParams>> GenerateStaticParams() => new([]);

                public static RouteResponse? GET() => null;

                public static Task<RouteResponse?> POST() => Task.FromResult<RouteResponse?>(null);

                public static ValueTask<RouteResponse?> PUT(RouteRequest request) => default;
            }
            """)
        .Route("app/(marketing)/about/route.cs", """
            using Cluster.Routing;

            namespace TestApp;

            public static class AboutRoute
            {
                public static async Task<RouteResponse> GET()
                {
                    await Task.Yield();
                    return RouteResponse.Text("about");
                }
            }
            """)
        .Route("app/%5Fescaped/route.cs", """
            using Cluster.Routing;

            namespace TestApp;

            public static class EscapedRoute
            {
                public static RouteResponse HEAD(RouteRequest request) => RouteResponse.Empty(200);

                public static RouteResponse OPTIONS() => RouteResponse.Empty();
            }
            """);
}
