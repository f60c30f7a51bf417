using Cluster.Gateway.Middleware;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using static Cluster.Gateway.Tests.Middleware.TestSupport.TestMatchers;

namespace Cluster.Gateway.Tests.Middleware;

public sealed class MiddlewareMatcherEvaluatorTests
{
    // "/api/:path*" as the route generator compiles it: anchored, optional trailing slash.
    private const string ApiRule = @"^/api(?:/(?<path>[^/#?]+(?:/[^/#?]+)*))?[/#?]?$";

    private static MiddlewareMatcherEvaluator CreateSut(params MiddlewareMatcher[] matchers) => new(matchers);

    private static bool ShouldRun(MiddlewareMatcherEvaluator sut, string path, string query = "", string host = "example.com", params (string Name, string Value)[] headers) =>
        sut.ShouldRun(path, query, RouteHeaders.FromPairs(headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))), host);

    [Theory]
    [InlineData("/")]
    [InlineData("/anything/at/all")]
    [InlineData("/caf%C3%A9")]
    public void ShouldRun_NoMatchers_RunsForEveryPath(string path)
    {
        var sut = CreateSut();

        Assert.True(sut.MatchesEverything);
        Assert.True(ShouldRun(sut, path));
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/", true)]
    [InlineData("/api/users/1", true)]
    [InlineData("/apis", false)]
    [InlineData("/other/api", false)]
    public void ShouldRun_PathRule_MatchesAnchored(string path, bool expected)
    {
        var sut = CreateSut(Rule(ApiRule));

        Assert.Equal(expected, ShouldRun(sut, path));
    }

    [Fact]
    public void ShouldRun_RuleMatchesOnlyDecodedPath_Runs()
    {
        var sut = CreateSut(Rule("^/café$"));

        Assert.True(ShouldRun(sut, "/caf%C3%A9"));
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData("/api/:path*", "/api")]
    [InlineData("/about/:path", "/about")]
    [InlineData("/about", "/about")]
    [InlineData("/about/", "/about")]
    [InlineData("/post/:id(\\d+)", "/post")]
    [InlineData("/((?!api|static).*)", "")]
    [InlineData("/a{/b}?", "/a")]
    [InlineData("/files/x\\:y", "/files/x")]
    [InlineData("/café/:id", "/café")]
    public void LiteralPrefix_Source_IsTheTextBeforeTheFirstParameterOrGroup(string source, string expected)
    {
        Assert.Equal(expected, MiddlewareMatcherEvaluator.LiteralPrefix(source));
    }

    [Theory]
    [InlineData("/caf%C3%A9/1", true)]
    [InlineData("/café/1", true)]
    [InlineData("/cafe/1", false)]
    public void ShouldRun_PrefixOnlyInDecodedPath_StillMatchesDecoded(string path, bool expected)
    {
        var sut = CreateSut(Rule("^/café(?:/([^/#?]+))[/#?]?$", source: "/café/:id"));

        Assert.Equal(expected, ShouldRun(sut, path));
    }

    [Fact]
    public void ShouldRun_RuleMatchesOnlyRawPath_Runs()
    {
        var sut = CreateSut(Rule("^/a%20b$"));

        Assert.True(ShouldRun(sut, "/a%20b"));
    }

    [Fact]
    public void ShouldRun_NeitherRawNorDecodedMatches_DoesNotRun()
    {
        var sut = CreateSut(Rule("^/café$"));

        Assert.False(ShouldRun(sut, "/caf%C3%A8"));
    }

    [Fact]
    public void ShouldRun_SecondRuleMatches_Runs()
    {
        var sut = CreateSut(Rule("^/a$"), Rule("^/b$"));

        Assert.True(ShouldRun(sut, "/b"));
        Assert.False(ShouldRun(sut, "/c"));
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/", true)]
    [InlineData("/api?", true)]
    [InlineData("/api/users/1", true)]
    [InlineData("/api/users/1/", true)]
    [InlineData("/api//users", false)]
    [InlineData("/apis", false)]
    [InlineData("/API/users", false)]
    [InlineData("/other/api", false)]
    [InlineData("/api%2Fusers", true)]
    [InlineData("/a%70i/users", true)]
    [InlineData("/api/a%23b", true)]
    [InlineData("/ap%69s", false)]
    [InlineData("/api%2F%2F", false)]
    [InlineData("/api%0A", true)]
    public void ShouldRun_ShapedRule_AnswersAsItsRegexOnRawAndDecodedPath(string path, bool expected)
    {
        var regexOnly = CreateSut(Rule(ApiRule, source: "/api/:path*"));
        var sut = CreateSut(Rule(ApiRule, source: "/api/:path*", shape: new("/api", MiddlewarePathTail.ZeroOrMoreSegments)));

        Assert.Equal(expected, ShouldRun(regexOnly, path));
        Assert.Equal(expected, ShouldRun(sut, path));
    }

    [Theory]
    [InlineData("/caf%C3%A9/1", true)]
    [InlineData("/caf%C3%A9/1%2F2", false)]
    [InlineData("/café/1", true)]
    [InlineData("/café", false)]
    [InlineData("/cafe/1", false)]
    public void ShouldRun_ShapedRuleWithNonAsciiLiteral_MatchesDecodedPath(string path, bool expected)
    {
        const string CafeRule = "^/café(?:/([^/#?]+))[/#?]?$";
        var regexOnly = CreateSut(Rule(CafeRule, source: "/café/:id"));
        var sut = CreateSut(Rule(CafeRule, source: "/café/:id", shape: new("/café", MiddlewarePathTail.OneSegment)));

        Assert.Equal(expected, ShouldRun(regexOnly, path));
        Assert.Equal(expected, ShouldRun(sut, path));
    }

    [Fact]
    public void ShouldRun_ShapedRuleWithConditions_StillAppliesHasAndMissing()
    {
        var sut = CreateSut(Rule(
            ApiRule,
            has: [Condition(MatcherConditionType.Header, "x-role", "admin")],
            missing: [Condition(MatcherConditionType.Query, "skip")],
            source: "/api/:path*",
            shape: new("/api", MiddlewarePathTail.ZeroOrMoreSegments)));

        Assert.True(ShouldRun(sut, "/api/x", headers: [("x-role", "admin")]));
        Assert.False(ShouldRun(sut, "/api/x"));
        Assert.False(ShouldRun(sut, "/api/x", "?skip=1", headers: [("x-role", "admin")]));
        Assert.False(ShouldRun(sut, "/other", headers: [("x-role", "admin")]));
    }

    [Fact]
    public void ShouldRun_ShapedRuleMisses_TriesNextRegexRule()
    {
        var sut = CreateSut(
            Rule("^/about[/#?]?$", source: "/about", shape: new("/about", MiddlewarePathTail.None)),
            Rule(@"^/post(?:/(\d+))[/#?]?$", source: @"/post/:id(\d+)"));

        Assert.True(ShouldRun(sut, "/about"));
        Assert.True(ShouldRun(sut, "/post/12"));
        Assert.False(ShouldRun(sut, "/about/x"));
        Assert.False(ShouldRun(sut, "/post/ab"));
    }

    [Theory]
    [InlineData("x-role", "admin", true)]
    [InlineData("X-Role", "admin", true)]
    [InlineData("x-role", "user", false)]
    [InlineData("x-other", "admin", false)]
    public void ShouldRun_HasHeaderWithValue_MatchesNameCaseInsensitivelyAndValueAnchored(string name, string value, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Header, "x-role", "admin")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", headers: [(name, value)]));
    }

    [Fact]
    public void ShouldRun_HasHeaderValueRegex_IsAnchored()
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Header, "x-role", "adm")]));

        Assert.False(ShouldRun(sut, "/x", headers: [("x-role", "admin")]));
    }

    [Theory]
    [InlineData("anything", true)]
    [InlineData("", true)]
    public void ShouldRun_HasHeaderWithoutValue_HoldsWhenPresent(string value, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Header, "authorization")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", headers: [("authorization", value)]));
        Assert.False(ShouldRun(sut, "/x"));
    }

    [Fact]
    public void ShouldRun_MissingHeader_RunsOnlyWithoutIt()
    {
        var sut = CreateSut(Rule("^/.*$", missing: [Condition(MatcherConditionType.Header, "authorization")]));

        Assert.True(ShouldRun(sut, "/x"));
        Assert.False(ShouldRun(sut, "/x", headers: [("Authorization", "Bearer t")]));
    }

    [Fact]
    public void ShouldRun_MissingWithValue_FailsOnlyWhenValueMatches()
    {
        var sut = CreateSut(Rule("^/.*$", missing: [Condition(MatcherConditionType.Header, "x-skip", "yes")]));

        Assert.True(ShouldRun(sut, "/x", headers: [("x-skip", "no")]));
        Assert.False(ShouldRun(sut, "/x", headers: [("x-skip", "yes")]));
    }

    [Theory]
    [InlineData("?preview=1", true)]
    [InlineData("?a=b&preview=1", true)]
    [InlineData("?preview=0&preview=1", true)]
    [InlineData("?preview=2", false)]
    [InlineData("?previews=1", false)]
    [InlineData("", false)]
    public void ShouldRun_HasQueryWithValue_AnyRepeatedValueMayMatch(string query, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Query, "preview", "1")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", query));
    }

    [Theory]
    [InlineData("?name=a%20b", true)]
    [InlineData("?name=a+b", true)]
    [InlineData("?na%6De=a%20b", true)]
    [InlineData("?name=a%2520b", false)]
    public void ShouldRun_HasQuery_ComparesDecodedNameAndValue(string query, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Query, "name", "a b")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", query));
    }

    [Theory]
    [InlineData("?flag", true)]
    [InlineData("?flag=", true)]
    [InlineData("?flag=x", true)]
    [InlineData("?other=1", false)]
    public void ShouldRun_HasQueryWithoutValue_HoldsWhenPresent(string query, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Query, "flag")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", query));
    }

    [Theory]
    [InlineData("session=abc", true)]
    [InlineData("theme=dark; session=abc", true)]
    [InlineData("session=%61bc", true)]
    [InlineData("session=\"abc\"", true)]
    [InlineData("session=abd", false)]
    [InlineData("xsession=abc", false)]
    [InlineData("session=abc; session=zzz", true)]
    [InlineData("session=zzz; session=abc", false)]
    public void ShouldRun_HasCookieWithValue_MatchesFirstCookieDecoded(string cookieHeader, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Cookie, "session", "abc")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", headers: [("cookie", cookieHeader)]));
    }

    [Fact]
    public void ShouldRun_MissingCookie_RunsOnlyWithoutIt()
    {
        var sut = CreateSut(Rule("^/.*$", missing: [Condition(MatcherConditionType.Cookie, "session")]));

        Assert.True(ShouldRun(sut, "/x"));
        Assert.True(ShouldRun(sut, "/x", headers: [("cookie", "other=1")]));
        Assert.False(ShouldRun(sut, "/x", headers: [("cookie", "other=1; session=")]));
    }

    [Theory]
    [InlineData("app.example.com", true)]
    [InlineData("app.example.com:8080", true)]
    [InlineData("example.com", false)]
    [InlineData("app.example.com.evil", false)]
    public void ShouldRun_HasHost_MatchesHostWithoutPort(string host, bool expected)
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Host, null, @"app\.example\.com")]));

        Assert.Equal(expected, ShouldRun(sut, "/x", host: host));
    }

    [Fact]
    public void ShouldRun_HostWithoutValue_HoldsForAnyHost()
    {
        var sut = CreateSut(Rule("^/.*$", has: [Condition(MatcherConditionType.Host, null)]));

        Assert.True(ShouldRun(sut, "/x", host: "[::1]:5000"));
    }

    [Fact]
    public void ShouldRun_PathMatchesButConditionFails_TriesNextRule()
    {
        var sut = CreateSut(
            Rule("^/x$", has: [Condition(MatcherConditionType.Header, "x-a")]),
            Rule("^/x$", has: [Condition(MatcherConditionType.Query, "b")]));

        Assert.True(ShouldRun(sut, "/x", "?b=1"));
        Assert.False(ShouldRun(sut, "/x", "?c=1"));
    }

    [Theory]
    [InlineData("example.com", "example.com")]
    [InlineData("example.com:8080", "example.com")]
    [InlineData("[::1]:80", "[::1]")]
    [InlineData("[::1]", "[::1]")]
    public void HostWithoutPort_StripsThePort(string host, string expected)
    {
        Assert.Equal(expected, MiddlewareMatcherEvaluator.HostWithoutPort(host).ToString());
    }
}
