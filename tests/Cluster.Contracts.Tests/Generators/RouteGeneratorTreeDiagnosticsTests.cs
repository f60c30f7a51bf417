using Cluster.Generators.Tests.Harness;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Tests;

public sealed class RouteGeneratorTreeDiagnosticsTests
{
    // Every fault of nextjs-semantics.md §1.2 as an app's folders under app/ (each gets a route.cs), the diagnostic
    // id and the Next.js keyword the build error must carry.
    [Theory]
    [InlineData(new[] { "blog/[id]", "blog/[cid]" }, "CLUSTER001", "different slug names")]
    [InlineData(new[] { "(a)/blog/[id]", "(b)/blog/[cid]" }, "CLUSTER001", "different slug names")]
    [InlineData(new[] { "blog/[id]/comments/[id]" }, "CLUSTER001", "the same slug name")]
    [InlineData(new[] { "blog/[id]/[...id]" }, "CLUSTER001", "the same slug name")]
    [InlineData(new[] { "[helloworld]/[hello-world]" }, "CLUSTER001", "differ only by non-word symbols")]
    [InlineData(new[] { "blog/[...id]/abc" }, "CLUSTER001", "Catch-all must be the last part of the URL")]
    [InlineData(new[] { "blog/[...a]/[...b]" }, "CLUSTER001", "Catch-all must be the last part of the URL")]
    [InlineData(new[] { "[....id]" }, "CLUSTER001", "erroneous periods")]
    [InlineData(new[] { "[..id]" }, "CLUSTER001", "erroneous periods")]
    [InlineData(new[] { "[[...id]" }, "CLUSTER001", "extra brackets")]
    [InlineData(new[] { "[...id]]" }, "CLUSTER001", "extra brackets")]
    [InlineData(new[] { "[[[...id]]]" }, "CLUSTER001", "extra brackets")]
    [InlineData(new[] { "[[blog]]" }, "CLUSTER001", "Optional route parameters are not yet supported")]
    [InlineData(new[] { "x/[...one]", "x/[[...one]]" }, "CLUSTER001", "both a required and optional catch-all")]
    [InlineData(new[] { "x/[[...one]]", "x/[...one]" }, "CLUSTER001", "both a required and optional catch-all")]
    [InlineData(new[] { "x", "x/[[...all]]" }, "CLUSTER001", "same specificity as an optional catch-all")]
    [InlineData(new[] { "", "[[...all]]" }, "CLUSTER001", "same specificity as an optional catch-all")]
    [InlineData(new[] { "[\u2026id]" }, "CLUSTER001", "Detected a three-dot character")]
    [InlineData(new[] { "(a)/about", "(b)/about" }, "CLUSTER002", "both serve the URL '/about'")]
    [InlineData(new[] { "@modal/x" }, "CLUSTER003", "parallel route slots")]
    [InlineData(new[] { "feed/(.)photo" }, "CLUSTER003", "intercepting routes")]
    [InlineData(new[] { "feed/(...)photo" }, "CLUSTER003", "intercepting routes")]
    public void Run_InvalidTree_ReportsErrorWithKeyword(string[] folders, string id, string keyword)
    {
        // Arrange
        var sut = CreateApp(folders);

        // Act
        var result = sut.Run();

        // Assert
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(keyword, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_DuplicateUrlThroughGroups_NamesBothFiles()
    {
        var result = CreateApp("(shop)/about", "(marketing)/about").Run();

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Contains("app/(shop)/about/route.cs", diagnostic.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("app/(marketing)/about/route.cs", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_TreeError_PointsAtRouteFile()
    {
        var result = CreateApp("blog/[id]", "blog/[cid]").Run();

        // Routes are inserted in pattern order, so '[id]' is the one that clashes with '[cid]'.
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(TestApp.Root + "/app/blog/[id]/route.cs", diagnostic.Location.GetLineSpan().Path);
    }

    [Fact]
    public void Run_SeveralFaults_ReportsEveryOne()
    {
        var result = CreateApp("a/[id]", "a/[cid]", "b/[...x]/c", "[[opt]]", "@slot/y", "(g1)/z", "(g2)/z").Run();

        Assert.Equal(
            ["CLUSTER001", "CLUSTER001", "CLUSTER001", "CLUSTER002", "CLUSTER003"],
            result.Diagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.All(result.Diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public void Run_TreeErrors_EmitsEmptyManifestThatCompiles()
    {
        var result = CreateApp("blog/[id]", "blog/[cid]").Run();

        Assert.NotNull(result.GeneratedSource);
        Assert.Contains("global::System.Array.Empty<global::Cluster.Routing.Hosting.RouteDefinition>()", result.GeneratedSource, StringComparison.Ordinal);
        Assert.DoesNotContain(result.OutputCompilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("blog/abc", "blog/[id]")]
    [InlineData("p/[id]", "p/[...rest]")]
    [InlineData("p3/[id]", "p3/[[...rest]]")]
    [InlineData("", "api/users/[id]", "api/docs/[...slug]", "shop/[[...slug]]", "(marketing)/about", "%5Fescaped", "robots.txt")]
    public void Run_ValidTree_ReportsNothing(params string[] folders)
    {
        var result = CreateApp(folders).Run();

        Assert.True(result.Diagnostics.IsEmpty, result.Describe());
        Assert.Equal(folders.Length, result.Load().Manifest.Routes.Count);
    }

    private static TestApp CreateApp(params string[] folders)
    {
        var app = new TestApp();
        for (var i = 0; i < folders.Length; i++)
        {
            var path = folders[i].Length == 0 ? "app/route.cs" : $"app/{folders[i]}/route.cs";
            app.SimpleRoute(path, "Route" + i);
        }

        return app;
    }
}
