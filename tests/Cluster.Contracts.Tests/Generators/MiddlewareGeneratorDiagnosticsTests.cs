using Cluster.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Tests;

public sealed class MiddlewareGeneratorDiagnosticsTests
{
    private const string File = "middleware.cs";
    private const string NextRun = "public static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();";

    [Fact]
    public void Run_TwoMiddlewareFiles_ReportsTheMisplacedOne()
    {
        // Arrange
        var sut = new TestApp()
            .Middleware(MiddlewareClass(NextRun))
            .MiddlewareTextOnly("src/middleware.cs", MiddlewareClass(NextRun));

        // Act
        var result = sut.Run();

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER014", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("'src/middleware.cs'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("at most one middleware file, next to app/", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(TestApp.Root + "/src/middleware.cs", diagnostic.Location.GetLineSpan().Path);
    }

    [Theory]
    [InlineData("app/middleware.cs")]
    [InlineData("src/middleware.cs")]
    [InlineData("app/api/middleware.cs")]
    public void Run_MiddlewareNotNextToApp_ReportsMisplaced(string relativePath)
    {
        var result = new TestApp().Middleware(MiddlewareClass(NextRun), relativePath).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER014", diagnostic.Id);
        Assert.Contains($"'{relativePath}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static MiddlewareResult Run() => MiddlewareResult.Next();", "it takes ()")]
    [InlineData("public static MiddlewareResult Run(string path) => MiddlewareResult.Next();", "it takes (string)")]
    [InlineData("public static MiddlewareResult Run(RouteRequest request, RouteContext context) => MiddlewareResult.Next();", "it takes (Cluster.Routing.RouteRequest, Cluster.Routing.RouteContext)")]
    [InlineData("public static MiddlewareResult Run(MiddlewareContext context, RouteRequest request) => MiddlewareResult.Next();", "it takes (")]
    [InlineData("public static MiddlewareResult Run(RouteRequest request, MiddlewareContext context, int extra) => MiddlewareResult.Next();", "it takes (")]
    [InlineData("public static MiddlewareResult Run(ref RouteRequest request) => MiddlewareResult.Next();", "ref Cluster.Routing.RouteRequest")]
    [InlineData("public static MiddlewareResult Run<T>(RouteRequest request) => MiddlewareResult.Next();", "it is generic")]
    [InlineData("public static RouteResponse Run(RouteRequest request) => RouteResponse.NotFound();", "it returns 'Cluster.Routing.RouteResponse'")]
    [InlineData("public static void Run(RouteRequest request) { }", "it returns 'void'")]
    [InlineData("public static Task Run(RouteRequest request) => Task.CompletedTask;", "it returns 'System.Threading.Tasks.Task'")]
    [InlineData("public static Task<RouteResponse> Run(RouteRequest request) => Task.FromResult(RouteResponse.NotFound());", "it returns")]
    [InlineData("public static MiddlewareResult run(RouteRequest request) => MiddlewareResult.Next();", "declares no public method named Run")]
    [InlineData("internal static MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();", "declares no public method named Run")]
    [InlineData(NextRun + " public static MiddlewareResult Run(RouteRequest request, MiddlewareContext context) => MiddlewareResult.Next();", "declared more than once")]
    public void Run_BadRunSignature_ReportsErrorNamingMethodAndFile(string members, string expected)
    {
        // Arrange
        var sut = new TestApp().Middleware(MiddlewareClass(members));

        // Act
        var result = sut.Run();

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER016", diagnostic.Id);
        var message = diagnostic.GetMessage();
        Assert.Contains("'Run'", message, StringComparison.Ordinal);
        Assert.Contains($"'{File}'", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("middleware is static", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadRun_PointsAtRunInMiddlewareFile()
    {
        var source = MiddlewareClass("public static string Run(RouteRequest request) => \"x\";");
        var result = new TestApp().Middleware(source).Run();

        var span = Assert.Single(result.Diagnostics).Location.GetLineSpan();
        Assert.Equal(TestApp.Root + "/" + File, span.Path);
        Assert.Equal(source.Split('\n').ToList().FindIndex(line => line.Contains("Run(", StringComparison.Ordinal)), span.StartLinePosition.Line);
    }

    [Fact]
    public void Run_InstanceRunOnNonStaticClass_ReportsBothFaults()
    {
        var source = MiddlewareClass(
            "public MiddlewareResult Run(RouteRequest request) => MiddlewareResult.Next();",
            "public sealed class Middleware");

        var result = new TestApp().Middleware(source).Run();

        Assert.Equal(["CLUSTER015", "CLUSTER016"], result.Diagnostics.Select(d => d.Id).Order());
        Assert.Contains(result.Diagnostics, d => d.GetMessage().Contains("middleware is static: declare 'public static class Middleware'", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.GetMessage().Contains("it is an instance method", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NonStaticClassWithStaticRun_ReportsClassNotStatic()
    {
        var result = new TestApp().Middleware(MiddlewareClass(NextRun, "public sealed class Middleware")).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER015", diagnostic.Id);
        Assert.Contains("middleware is static", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("public static class First { }\npublic static class Second { }")]
    public void Run_NotExactlyOnePublicClass_ReportsClassCount(string source)
    {
        var result = new TestApp().MiddlewareTextOnly(File, "using Cluster.Routing;\n\n" + source).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER015", diagnostic.Id);
        Assert.Contains("exactly one public top-level class", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ClassNotCompiledIntoApp_ReportsNotFound()
    {
        var result = new TestApp().MiddlewareTextOnly(File, MiddlewareClass(NextRun)).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER015", diagnostic.Id);
        Assert.Contains("'TestApp.Middleware' was not found", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static RouteConfig Config { get; } = new();")]
    [InlineData("public MiddlewareConfig Config { get; } = new();")]
    [InlineData("public static MiddlewareConfig Config() => new();")]
    public void Run_ConfigOfWrongShape_ReportsInvalidConfig(string config)
    {
        var declaration = config.Contains("public MiddlewareConfig", StringComparison.Ordinal) ? "public sealed class Middleware" : "public static class Middleware";
        var result = new TestApp().Middleware(MiddlewareClass(config + "\n    " + NextRun, declaration)).Run();

        Assert.Contains(
            result.Diagnostics,
            d => d.Id == "CLUSTER015" && d.GetMessage().Contains("'Config'", StringComparison.Ordinal) && d.GetMessage().Contains("MiddlewareConfig", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [s_source] };", "s_source")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [Other.Source] };", "Other.Source")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [\"/a\" + s_source] };", "\"/a\" + s_source")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [$\"/a/{s_source}\"] };", "$\"/a/{s_source}\"")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = BuildRules() };", "BuildRules()")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [.. BuildRules()] };", "[.. BuildRules()]")]
    [InlineData("public static MiddlewareConfig Config { get; } = Create();", "Create()")]
    [InlineData("public static MiddlewareConfig Config { get { var c = Create(); return c; } }", "Config")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [new MatcherRule { Source = s_source }] };", "s_source")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [new MatcherRule { Source = \"/a\", Has = Conditions() }] };", "Conditions()")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [new MatcherRule { Source = \"/a\", Has = [new() { Key = s_source }] }] };", "s_source")]
    [InlineData("public static MiddlewareConfig Config { get; } = new() { Matcher = [new MatcherRule { Source = \"/a\", Missing = [new() { Type = s_type, Key = \"k\" }] }] };", "s_type")]
    public void Run_NonConstantMatcher_ReportsCompileTimeConstantRule(string config, string quoted)
    {
        // Arrange
        var members = config + """

                private static readonly string s_source = "/x";
                private static readonly MatcherConditionType s_type = MatcherConditionType.Query;
                private static MiddlewareConfig Create() => new();
                private static List<MatcherRule> BuildRules() => ["/x"];
                private static List<MatcherCondition> Conditions() => [];
            """ + "\n    " + NextRun;
        var other = "namespace TestApp;\n\npublic static class Other\n{\n    public const string Source = \"/other\";\n}\n";

        // Act: the app compiles (Other.Source is a C# constant), so only the generator's build-time reading complains.
        var result = new TestApp().Middleware(MiddlewareClass(members)).Source("Other.cs", other).Run();

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Id == "CLUSTER017");
        Assert.Contains("middleware matcher values must be compile-time constants", diagnostic.GetMessage(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"'{quoted}'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains($"'{File}'", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Single(result.Diagnostics);
    }

    [Theory]
    [InlineData("\"api/:path*\"", "'api/:path*'", "must start with '/'")]
    [InlineData("\"/a/(b\"", "'/a/(b'", "unbalanced '('")]
    [InlineData("\"/a/:\"", "'/a/:'", "missing parameter name")]
    [InlineData("\"/a/([z-a])\"", "'/a/([z-a])'", "is invalid")]
    [InlineData("new MatcherRule { Source = \"/a\", Has = [new() { Type = MatcherConditionType.Host, Key = \"h\", Value = \"x\" }] }", "'Host h = x'", "a Host condition has no Key")]
    [InlineData("new MatcherRule { Source = \"/a\", Has = [new() { Type = MatcherConditionType.Header, Value = \"x\" }] }", "'Header = x'", "a Header condition needs a Key")]
    [InlineData("new MatcherRule { Source = \"/a\", Missing = [new MatcherCondition { Type = MatcherConditionType.Cookie }] }", "'Cookie'", "a Cookie condition needs a Key")]
    [InlineData("new MatcherRule { Source = \"/a\", Has = [new() { Type = MatcherConditionType.Query, Key = \"q\", Value = \"(x\" }] }", "'Query q = (x'", "is invalid")]
    public void Run_InvalidMatcher_ReportsErrorQuotingIt(string rule, string quoted, string reason)
    {
        var config = "public static MiddlewareConfig Config { get; } = new() { Matcher = [" + rule + "] };";

        var result = new TestApp().Middleware(MiddlewareClass(config + "\n    " + NextRun)).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER018", diagnostic.Id);
        Assert.Contains(quoted, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains(reason, diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains($"'{File}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EmptyMatcher_ReportsItWouldNeverRun()
    {
        var config = "public static MiddlewareConfig Config { get; } = new() { Matcher = [] };";

        var result = new TestApp().Middleware(MiddlewareClass(config + "\n    " + NextRun)).Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("CLUSTER018", diagnostic.Id);
        Assert.Contains("never run", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InvalidMatcher_PointsAtTheSource()
    {
        var source = MiddlewareClass("public static MiddlewareConfig Config { get; } = new()\n    {\n        Matcher = [\"/ok\", \"bad\"],\n    };\n    " + NextRun);

        var result = new TestApp().Middleware(source).Run();

        var span = Assert.Single(result.Diagnostics).Location.GetLineSpan();
        Assert.Equal(TestApp.Root + "/" + File, span.Path);
        var line = source.Split('\n').ToList().FindIndex(l => l.Contains("\"bad\"", StringComparison.Ordinal));
        Assert.Equal(line, span.StartLinePosition.Line);
        Assert.Equal(source.Split('\n')[line].IndexOf("\"bad\"", StringComparison.Ordinal), span.StartLinePosition.Character);
    }

    [Fact]
    public void Run_MiddlewareError_StillEmitsManifestWithoutMiddleware()
    {
        var result = new TestApp()
            .SimpleRoute("app/route.cs", "HomeRoute")
            .Middleware(MiddlewareClass("public static string Run(RouteRequest request) => \"x\";"))
            .Run();

        Assert.Equal("CLUSTER016", Assert.Single(result.Diagnostics).Id);
        Assert.NotNull(result.GeneratedSource);
        Assert.Contains("Middleware = null,", result.GeneratedSource, StringComparison.Ordinal);
    }

    private static string MiddlewareClass(string members, string declaration = "public static class Middleware") => $$"""
        using Cluster.Routing;

        namespace TestApp;

        {{declaration}}
        {
            {{members}}
        }
        """;
}
