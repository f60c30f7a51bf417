using Cluster.Generators.Routing;

namespace Cluster.Generators.Tests.Routing;

public sealed class RoutePathTests
{
    private const string AppDirectory = "/app-root";

    [Theory]
    [InlineData("app/route.cs", "/")]
    [InlineData("app/api/users/[id]/route.cs", "/api/users/[id]")]
    [InlineData("app/api/docs/[...slug]/route.cs", "/api/docs/[...slug]")]
    [InlineData("app/shop/[[...slug]]/route.cs", "/shop/[[...slug]]")]
    [InlineData("app/(marketing)/about/route.cs", "/about")]
    [InlineData("app/(a)/(b)/nested/(c)/deep/route.cs", "/nested/deep")]
    [InlineData("app/(marketing)/route.cs", "/")]
    [InlineData("app/%5Fescaped/route.cs", "/_escaped")]
    [InlineData("app/caf%C3%A9/route.cs", "/caf\u00e9")]
    [InlineData("app/robots.txt/route.cs", "/robots.txt")]
    [InlineData("app/sitemap.xml/route.cs", "/sitemap.xml")]
    [InlineData("app/api/hello.json/route.cs", "/api/hello.json")]
    [InlineData("app/About/route.cs", "/About")]
    public void Parse_RoutableFolders_GivesPattern(string relativePath, string expected)
    {
        var result = RoutePath.Parse(AppDirectory, AppDirectory + "/" + relativePath);

        Assert.Equal(RoutePathKind.Route, result.Kind);
        Assert.Equal(expected, result.Pattern);
        Assert.Equal(relativePath, result.SourceFile);
    }

    [Theory]
    [InlineData("app/_lib/route.cs")]
    [InlineData("app/_lib/deep/er/route.cs")]
    [InlineData("app/api/_internal/route.cs")]
    [InlineData("app/(group)/_private/x/route.cs")]
    [InlineData("app/_cluster/healthz/route.cs")]
    [InlineData("app/_lib/@slot/route.cs")]
    public void Parse_PrivateFolder_IsPrivate(string relativePath)
    {
        var result = RoutePath.Parse(AppDirectory, AppDirectory + "/" + relativePath);

        Assert.Equal(RoutePathKind.Private, result.Kind);
        Assert.Null(result.Pattern);
    }

    [Theory]
    [InlineData("app/@modal/route.cs", "@modal")]
    [InlineData("app/feed/(.)photo/route.cs", "(.)photo")]
    [InlineData("app/feed/(..)photo/route.cs", "(..)photo")]
    [InlineData("app/feed/(..)(..)photo/route.cs", "(..)(..)photo")]
    [InlineData("app/feed/(...)photo/route.cs", "(...)photo")]
    [InlineData("app/a%2Fb/route.cs", "a%2Fb")]
    public void Parse_UnsupportedFolder_NamesFolder(string relativePath, string folder)
    {
        var result = RoutePath.Parse(AppDirectory, AppDirectory + "/" + relativePath);

        Assert.Equal(RoutePathKind.Unsupported, result.Kind);
        Assert.Equal(folder, result.Folder);
    }

    [Fact]
    public void Parse_WindowsSeparatorsAndTrailingSlash_AreNormalised()
    {
        var result = RoutePath.Parse(@"C:\src\MyApp\", @"C:\src\MyApp\app\api\[id]\route.cs");

        Assert.Equal(RoutePathKind.Route, result.Kind);
        Assert.Equal("/api/[id]", result.Pattern);
        Assert.Equal("app/api/[id]/route.cs", result.SourceFile);
    }

    [Fact]
    public void Parse_FileOutsideApp_IsOutsideApp()
    {
        var result = RoutePath.Parse(AppDirectory, "/elsewhere/app/route.cs");

        Assert.Equal(RoutePathKind.OutsideApp, result.Kind);
    }
}
