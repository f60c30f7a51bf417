using Cluster.Generators.Routing;

namespace Cluster.Generators.Tests.Routing;

public sealed class RouteTreeValidatorTests
{
    // One row per fault of nextjs-semantics.md §1.2, in insertion order, with the keyword Next.js's message carries.
    [Theory]
    [InlineData(new[] { "/blog/[id]", "/blog/[cid]" }, "different slug names")]
    [InlineData(new[] { "/blog/[id]/comments/[id]" }, "the same slug name")]
    [InlineData(new[] { "/blog/[id]/[...id]" }, "the same slug name")]
    [InlineData(new[] { "/[helloworld]/[hello-world]" }, "differ only by non-word symbols")]
    [InlineData(new[] { "/blog/[...id]/abc" }, "Catch-all must be the last part of the URL")]
    [InlineData(new[] { "/blog/[...a]/[...b]" }, "Catch-all must be the last part of the URL")]
    [InlineData(new[] { "/[....id]" }, "erroneous periods ('.id')")]
    [InlineData(new[] { "/[..id]" }, "erroneous periods ('..id')")]
    [InlineData(new[] { "/[[...id]" }, "extra brackets ('[...id')")]
    [InlineData(new[] { "/[...id]]" }, "extra brackets ('id]')")]
    [InlineData(new[] { "/[[[...id]]]" }, "extra brackets ('[...id]')")]
    [InlineData(new[] { "/[[blog]]" }, "Optional route parameters are not yet supported (\"[[blog]]\")")]
    [InlineData(new[] { "/x/[...one]", "/x/[[...one]]" }, "both a required and optional catch-all")]
    [InlineData(new[] { "/x/[[...one]]", "/x/[...one]" }, "both an optional and required catch-all")]
    [InlineData(new[] { "/x", "/x/[[...all]]" }, "same specificity as an optional catch-all")]
    [InlineData(new[] { "/x/[[...all]]", "/x" }, "same specificity as an optional catch-all")]
    [InlineData(new[] { "/", "/[[...all]]" }, "same specificity as an optional catch-all")]
    [InlineData(new[] { "/[\u2026id]" }, "Detected a three-dot character")]
    [InlineData(new[] { "/[[\u2026id]]" }, "Detected a three-dot character")]
    public void Validate_InvalidTree_ReportsNextJsKeyword(string[] patterns, string keyword)
    {
        // Act
        var errors = RouteTreeValidator.Validate(patterns);

        // Assert
        var error = Assert.Single(errors);
        Assert.Equal(RouteTreeErrorKind.InvalidTree, error.Kind);
        Assert.Contains(keyword, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DifferentSlugNames_QuotesBothNames()
    {
        var error = Assert.Single(RouteTreeValidator.Validate("/blog/[id]", "/blog/[cid]"));

        Assert.Equal("You cannot use different slug names for the same dynamic path ('id' !== 'cid').", error.Message);
        Assert.Equal("app/blog/[cid]/route.cs", error.SourceFile);
    }

    [Fact]
    public void Validate_OptionalCatchAllBesideRoute_NamesBothPatterns()
    {
        var error = Assert.Single(RouteTreeValidator.Validate("/x", "/x/[[...all]]"));

        Assert.Equal(
            "You cannot define a route with the same specificity as an optional catch-all route (\"/x\" and \"/x/[[...all]]\").",
            error.Message);
        Assert.Equal("app/x/[[...all]]/route.cs", error.SourceFile);
        Assert.Equal("app/x/route.cs", error.OtherSourceFile);
    }

    [Fact]
    public void Validate_RequiredThenOptionalCatchAll_UsesRequiredFirstWording()
    {
        var error = Assert.Single(RouteTreeValidator.Validate("/x/[...one]", "/x/[[...one]]"));

        Assert.Equal(
            "You cannot use both a required and optional catch-all route at the same level (\"[...one]\" and \"[[...one]]\").",
            error.Message);
    }

    [Fact]
    public void Validate_SamePatternTwice_ReportsDuplicateNamingBothFiles()
    {
        var errors = RouteTreeValidator.Validate(
        [
            new RouteTreeEntry("/about", "app/(a)/about/route.cs"),
            new RouteTreeEntry("/about", "app/(b)/about/route.cs"),
        ]);

        var error = Assert.Single(errors);
        Assert.Equal(RouteTreeErrorKind.DuplicateUrl, error.Kind);
        Assert.Equal("app/(b)/about/route.cs", error.SourceFile);
        Assert.Equal("app/(a)/about/route.cs", error.OtherSourceFile);
    }

    [Fact]
    public void Validate_SeveralFaults_ReportsEveryOne()
    {
        var errors = RouteTreeValidator.Validate("/a/[id]", "/a/[cid]", "/b/[...x]/c", "/[[opt]]", "/d", "/d/[[...all]]");

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("different slug names", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("Catch-all must be the last part of the URL", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("Optional route parameters are not yet supported", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("same specificity as an optional catch-all", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_RejectedRoute_DoesNotAffectLaterRoutes()
    {
        // The first route fails below /p, so its [...rest] must not be left in the trie to clash with [[...rest]].
        var errors = RouteTreeValidator.Validate("/p/[...rest]/x", "/p/[[...rest]]");

        var error = Assert.Single(errors);
        Assert.Contains("Catch-all must be the last part of the URL", error.Message, StringComparison.Ordinal);
    }

    // The notes under §1.2: trees Next.js accepts.
    [Theory]
    [InlineData("/blog/abc", "/blog/[id]")]
    [InlineData("/p/[id]", "/p/[...rest]")]
    [InlineData("/p3/[id]", "/p3/[[...rest]]")]
    [InlineData("/p3/[id]/abc", "/p3/[[...rest]]")]
    [InlineData("/[[...all]]")]
    [InlineData("/blog/[id]", "/blog/[id]/comments/[cid]", "/posts/[id]")]
    [InlineData("/shop/[[...slug]]", "/api/users/[id]", "/api/docs/[...slug]", "/robots.txt", "/_escaped")]
    public void Validate_ValidTree_ReportsNothing(params string[] patterns)
    {
        Assert.Empty(RouteTreeValidator.Validate(patterns));
    }

    [Fact]
    public void Validate_NextJsSorterSnapshot_ReportsNothing()
    {
        // The route list of Next.js's page-route-sorter test is a valid tree.
        var errors = RouteTreeValidator.Validate(
            "/posts", "/[root-slug]", "/", "/posts/[id]", "/blog/[id]/comments/[cid]", "/blog/abc/[id]", "/[...rest]",
            "/blog/abc/post", "/blog/abc", "/p1/[[...incl]]", "/p/[...rest]", "/p2/[...rest]", "/p2/[id]", "/p2/[id]/abc",
            "/p3/[[...rest]]", "/p3/[id]", "/p3/[id]/abc", "/blog/[id]", "/foo/[d]/bar/baz/[f]", "/apples/[ab]/[cd]/ef");

        Assert.Empty(errors);
    }
}
