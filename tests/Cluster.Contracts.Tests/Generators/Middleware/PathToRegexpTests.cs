using System.Text.RegularExpressions;
using Cluster.Generators.Middleware;

namespace Cluster.Generators.Tests.Middleware;

/// <summary>
/// path-to-regexp v6 conformance as Next.js uses it for <c>config.matcher</c>: each syntax form with paths that must
/// and must not match, run through System.Text.RegularExpressions with the options the manifest uses.
/// </summary>
public sealed class PathToRegexpTests
{
    [Theory]

    // Plain literals, optional trailing slash (or '#'/'?'), case-sensitive.
    [InlineData("/about", "/about")]
    [InlineData("/about", "/about/")]
    [InlineData("/api/users", "/api/users")]

    // Root: also '/index' (Next.js quirk).
    [InlineData("/", "/")]
    [InlineData("/", "/index")]
    [InlineData("/", "/index/")]

    // :name is one segment.
    [InlineData("/about/:path", "/about/a")]
    [InlineData("/about/:path", "/about/a/")]
    [InlineData("/about/:path", "/about/a.b-c")]
    [InlineData("/users/:id/posts", "/users/7/posts")]

    // :name? one optional segment.
    [InlineData("/about/:path?", "/about")]
    [InlineData("/about/:path?", "/about/")]
    [InlineData("/about/:path?", "/about/a")]

    // :name* zero or more segments.
    [InlineData("/about/:path*", "/about")]
    [InlineData("/about/:path*", "/about/a")]
    [InlineData("/about/:path*", "/about/a/b")]
    [InlineData("/about/:path*", "/about/a/b/")]
    [InlineData("/:path*", "/")]
    [InlineData("/:path*", "/a/b")]

    // :name+ one or more segments.
    [InlineData("/about/:path+", "/about/a")]
    [InlineData("/about/:path+", "/about/a/b")]

    // Custom parameter pattern.
    [InlineData(@"/post/:id(\d+)", "/post/12")]
    [InlineData(@"/post/:id(\d+)?", "/post")]
    [InlineData(@"/post/:id(\d+)*", "/post/1/2/3")]
    [InlineData("/files/:rest(.*)", "/files/a/b/c")]

    // Raw (unnamed) group, kept as written.
    [InlineData("/((?!api|static).*)", "/x/y")]
    [InlineData("/((?!api|static).*)", "/")]
    [InlineData("/((?!api|_next/static|_next/image|favicon.ico).*)", "/shop/cart")]
    [InlineData("/(a|b)", "/a")]
    [InlineData("/v(\\d+)/users", "/v2/users")]

    // '.' is a prefix too: an optional extension.
    [InlineData("/file.:ext?", "/file")]
    [InlineData("/file.:ext?", "/file.txt")]

    // Escapes and braces.
    [InlineData("/robots.txt", "/robots.txt")]
    [InlineData(@"/a\+b", "/a+b")]
    [InlineData(@"/price\:usd", "/price:usd")]
    [InlineData("/a$b^c|d[e]", "/a$b^c|d[e]")]
    [InlineData("/foo{-:bar}?", "/foo")]
    [InlineData("/foo{-:bar}?", "/foo-x")]
    [InlineData("/foo{/bar}?", "/foo")]
    [InlineData("/foo{/bar}?", "/foo/bar")]
    [InlineData("/api{/:v}*", "/api/a/b")]
    [InlineData("/caf\u00e9/:x", "/caf\u00e9/1")]
    public void Compile_Source_MatchesPath(string source, string path)
    {
        var regex = CompileOrFail(source);

        Assert.True(regex.IsMatch(path), $"'{source}' ({regex}) should match '{path}'.");
    }

    [Theory]
    [InlineData("/about", "/About")]
    [InlineData("/about", "/about/x")]
    [InlineData("/about", "/aboutx")]
    [InlineData("/about", "/about//")]
    [InlineData("/", "/x")]
    [InlineData("/", "/Index")]
    [InlineData("/about/:path", "/about")]
    [InlineData("/about/:path", "/about/")]
    [InlineData("/about/:path", "/about/a/c")]
    [InlineData("/about/:path?", "/about/a/b")]
    [InlineData("/about/:path?", "/aboutx")]
    [InlineData("/about/:path*", "/aboutx")]
    [InlineData("/about/:path*", "/ABOUT/a")]
    [InlineData("/about/:path*", "/other")]
    [InlineData("/about/:path+", "/about")]
    [InlineData("/about/:path+", "/about/")]
    [InlineData(@"/post/:id(\d+)", "/post/ab")]
    [InlineData(@"/post/:id(\d+)", "/post/1a")]
    [InlineData(@"/post/:id(\d+)", "/post")]
    [InlineData("/((?!api|static).*)", "/api/x")]
    [InlineData("/((?!api|static).*)", "/static")]
    [InlineData("/(a|b)", "/c")]
    [InlineData("/robots.txt", "/robotsXtxt")]
    [InlineData(@"/a\+b", "/aab")]
    [InlineData("/file.:ext?", "/fileXtxt")]
    [InlineData("/foo{/bar}?", "/foo/baz")]
    [InlineData("/users/:id", "/users/a?b")]
    public void Compile_Source_DoesNotMatchPath(string source, string path)
    {
        var regex = CompileOrFail(source);

        Assert.False(regex.IsMatch(path), $"'{source}' ({regex}) should not match '{path}'.");
    }

    [Theory]
    [InlineData("/", @"^\/(?:index)?[\/#\?]?$")]
    [InlineData("/middleware/path", @"^\/middleware\/path[\/#\?]?$")]
    [InlineData("/about/:path", @"^\/about(?:\/([^\/#\?]+))[\/#\?]?$")]
    [InlineData("/about/:path?", @"^\/about(?:\/([^\/#\?]+))?[\/#\?]?$")]
    [InlineData("/about/:path*", @"^\/about(?:\/((?:[^\/#\?]+)(?:\/(?:[^\/#\?]+))*))?[\/#\?]?$")]
    [InlineData("/about/:path+", @"^\/about(?:\/((?:[^\/#\?]+)(?:\/(?:[^\/#\?]+))*))[\/#\?]?$")]
    [InlineData("/((?!api).*)", @"^(?:\/((?!api).*))[\/#\?]?$")]
    public void Compile_Source_GivesPathToRegexpExpression(string source, string expected)
    {
        var result = PathToRegexp.Compile(source);

        Assert.Null(result.Error);
        Assert.Equal(expected, result.Pattern);
    }

    [Theory]
    [InlineData("", "must start with '/'")]
    [InlineData("api/:path*", "must start with '/'")]
    [InlineData(":path*", "must start with '/'")]
    [InlineData("/(abc", "unbalanced '('")]
    [InlineData("/a/((?!x)", "unbalanced '('")]
    [InlineData("/a/:", "missing parameter name")]
    [InlineData("/a/:/b", "missing parameter name")]
    [InlineData("/a/()", "missing pattern")]
    [InlineData("/a/(?:x)", "cannot start with '?'")]
    [InlineData("/a/(x(y))", "capturing groups are not allowed")]
    [InlineData("/a/([a-)", "is invalid")]
    [InlineData("/a/(x{2,1})", "is invalid")]
    [InlineData("/a/(x\\1)", "is invalid")]
    [InlineData("/a*", "unexpected modifier")]
    [InlineData("/a+b", "unexpected modifier")]
    [InlineData("/a/?", "unexpected modifier")]
    [InlineData("/a{/b", "expected '}'")]
    [InlineData("/a}", "unexpected '}'")]
    [InlineData("/a\\", "escapes nothing")]
    [InlineData("/a-:b*", "cannot repeat ':b'")]
    public void Compile_InvalidSource_ReportsError(string source, string expected)
    {
        var result = PathToRegexp.Compile(source);

        Assert.Null(result.Pattern);
        Assert.NotNull(result.Error);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", "application/json", true)]
    [InlineData("application/json", "application/json; charset=utf-8", false)]
    [InlineData("application/json", "xapplication/json", false)]
    [InlineData("a|b", "b", true)]
    [InlineData("a|b", "ab", false)]
    [InlineData("(?<lang>en|fr)-.*", "fr-CA", true)]
    [InlineData(".*\\.example\\.com", "shop.example.com", true)]
    [InlineData(".*\\.example\\.com", "example.com", false)]
    public void CompileConditionValue_Value_MatchesWholeValueOnly(string value, string input, bool expected)
    {
        var result = PathToRegexp.CompileConditionValue(value);

        Assert.Null(result.Error);
        Assert.Equal(expected, new Regex(result.Pattern!, RegexOptions.CultureInvariant).IsMatch(input));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void CompileConditionValue_NoValue_HasNoPattern(string? value)
    {
        var result = PathToRegexp.CompileConditionValue(value);

        Assert.Null(result.Error);
        Assert.Null(result.Pattern);
    }

    [Fact]
    public void CompileConditionValue_InvalidRegex_ReportsError()
    {
        var result = PathToRegexp.CompileConditionValue("(unclosed");

        Assert.Null(result.Pattern);
        Assert.Contains("is invalid", result.Error, StringComparison.Ordinal);
    }

    private static Regex CompileOrFail(string source)
    {
        var result = PathToRegexp.Compile(source);
        Assert.True(result.Error is null, $"'{source}' failed: {result.Error}");
        return new Regex(result.Pattern!, RegexOptions.CultureInvariant);
    }
}
