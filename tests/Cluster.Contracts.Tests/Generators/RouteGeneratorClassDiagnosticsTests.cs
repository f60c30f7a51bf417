using Cluster.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Tests;

public sealed class RouteGeneratorClassDiagnosticsTests
{
    private const string File = "app/bad/route.cs";

    [Theory]
    [InlineData("public static RouteResponse GET(string id) => RouteResponse.NotFound();", "CLUSTER006", "GET")]
    [InlineData("public static RouteResponse POST(RouteContext context, RouteRequest request) => RouteResponse.NotFound();", "CLUSTER006", "POST")]
    [InlineData("public static RouteResponse PUT(RouteRequest request, RouteContext context, int extra) => RouteResponse.NotFound();", "CLUSTER006", "PUT")]
    [InlineData("public static RouteResponse PATCH(ref RouteRequest request) => RouteResponse.NotFound();", "CLUSTER006", "PATCH")]
    [InlineData("public static RouteResponse DELETE<T>() => RouteResponse.NotFound();", "CLUSTER006", "DELETE")]
    [InlineData("public static string GET() => \"x\";", "CLUSTER007", "GET")]
    [InlineData("public static void HEAD() { }", "CLUSTER007", "HEAD")]
    [InlineData("public static Task<string> OPTIONS() => Task.FromResult(\"x\");", "CLUSTER007", "OPTIONS")]
    [InlineData("public static Task GET() => Task.CompletedTask;", "CLUSTER007", "GET")]
    [InlineData("public static RouteResponse GET() => RouteResponse.NotFound(); public static RouteResponse GET(RouteRequest r) => RouteResponse.NotFound();", "CLUSTER013", "GET")]
    public void Run_BadHandler_ReportsErrorNamingMethodAndFile(string members, string id, string method)
    {
        // Arrange
        var sut = new TestApp().Route(File, RouteClass("public static class BadRoute", members));

        // Act
        var result = sut.Run();

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains($"'{method}'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(File, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadHandler_PointsAtMethodInRouteFile()
    {
        var source = RouteClass("public static class BadRoute", "public static string GET() => \"x\";");
        var result = new TestApp().Route(File, source).Run();

        var span = Assert.Single(result.Diagnostics).Location.GetLineSpan();
        Assert.Equal(TestApp.Root + "/" + File, span.Path);
        Assert.Equal(source.Split('\n').ToList().FindIndex(line => line.Contains("GET()", StringComparison.Ordinal)), span.StartLinePosition.Line);
    }

    [Fact]
    public void Run_OnlyLowerCaseMethod_ReportsNoHandler()
    {
        var result = new TestApp()
            .Route(File, RouteClass("public static class BadRoute", "public static RouteResponse get() => RouteResponse.NotFound();"))
            .Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER008", diagnostic.Id);
        Assert.Contains("defines no HTTP method handler", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(File, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NonPublicHandler_ReportsNoHandler()
    {
        var result = new TestApp()
            .Route(File, RouteClass("public static class BadRoute", "internal static RouteResponse GET() => RouteResponse.NotFound();"))
            .Run();

        Assert.Equal("CLUSTER008", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void Run_TwoPublicClasses_ReportsClassCountNamingFile()
    {
        var source = RouteClass("public static class FirstRoute", "public static RouteResponse GET() => RouteResponse.NotFound();")
            + "\npublic static class SecondRoute { }\n";
        var result = new TestApp().Route(File, source).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER004", diagnostic.Id);
        Assert.Contains(File, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("FirstRoute, SecondRoute", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_NonPublicClass_ReportsClassCountNamingFile()
    {
        var result = new TestApp()
            .Route(File, RouteClass("internal static class HiddenRoute", "public static RouteResponse GET() => RouteResponse.NotFound();"))
            .Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER004", diagnostic.Id);
        Assert.Contains($"'{File}' must declare exactly one public top-level class, but it declares none", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ClassMissingFromCompilation_ReportsNotFound()
    {
        var result = new TestApp()
            .RouteTextOnly(File, RouteClass("public static class GhostRoute", "public static RouteResponse GET() => RouteResponse.NotFound();"))
            .Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER005", diagnostic.Id);
        Assert.Contains("TestApp.GhostRoute", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public sealed class BadRoute", "public BadRoute() { } public BadRoute(int x) { } public RouteResponse GET() => RouteResponse.NotFound();", "exactly one public constructor")]
    [InlineData("public abstract class BadRoute", "public RouteResponse GET() => RouteResponse.NotFound();", "abstract")]
    [InlineData("public static class BadRoute<T>", "public static RouteResponse GET() => RouteResponse.NotFound();", "generic")]
    public void Run_UnusableClass_ReportsInvalidRouteClass(string declaration, string members, string reason)
    {
        var result = new TestApp().Route(File, RouteClass(declaration, members)).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER009", diagnostic.Id);
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(File, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static RouteConfig Config() => RouteConfig.Default;")]
    [InlineData("public static string Config { get; } = \"x\";")]
    [InlineData("public RouteConfig Config { get; } = RouteConfig.Default;")]
    public void Run_BadConfig_ReportsInvalidConfig(string config)
    {
        var result = new TestApp()
            .Route(File, RouteClass("public sealed class BadRoute", "public static RouteResponse GET() => RouteResponse.NotFound(); " + config))
            .Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER010", diagnostic.Id);
        Assert.Contains(File, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static IEnumerable<RouteParams> GenerateStaticParams(int page) => [];")]
    [InlineData("public static List<RouteParams> GenerateStaticParams() => [];")]
    [InlineData("public static Task<List<RouteParams>> GenerateStaticParams() => Task.FromResult(new List<RouteParams>());")]
    [InlineData("public IEnumerable<RouteParams> GenerateStaticParams() => [];")]
    public void Run_BadGenerateStaticParams_ReportsInvalidGenerateStaticParams(string member)
    {
        var result = new TestApp()
            .Route(File, RouteClass("public sealed class BadRoute", "public static RouteResponse GET() => RouteResponse.NotFound(); " + member))
            .Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER011", diagnostic.Id);
        Assert.Contains(File, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PrivateFolderWithBrokenFile_IsIgnored()
    {
        var result = new TestApp()
            .SimpleRoute("app/route.cs", "HomeRoute")
            .Route("app/_lib/route.cs", RouteClass("internal static class Helper", "public static string get() => \"x\";"))
            .Run();

        Assert.True(result.Diagnostics.IsEmpty, result.Describe());
        Assert.Equal(["/"], result.Load().Manifest.Routes.Select(r => r.Pattern));
    }

    [Fact]
    public void Run_InvalidManifestType_ReportsConfigurationError()
    {
        var result = new TestApp().SimpleRoute("app/route.cs", "HomeRoute").WithManifestType("My.class.Manifest").Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER012", diagnostic.Id);
        Assert.Null(result.GeneratedSource);
    }

    private static string RouteClass(string declaration, string members) => $$"""
        using Cluster.Routing;

        namespace TestApp;

        {{declaration}}
        {
            {{members}}
        }
        """;
}
