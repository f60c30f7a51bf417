using System.Text;
using System.Text.RegularExpressions;
using Cluster.Generators.Middleware;
using Cluster.Routing.Hosting;

namespace Cluster.Generators.Tests.Middleware;

/// <summary>
/// Which matcher sources get a regex-free <see cref="MiddlewarePathShape"/>, and a differential check that the shape
/// answers exactly as the expression the manifest builds for the same source, over a few thousand generated paths.
/// </summary>
public sealed class PathShapeClassifierTests
{
    // The options the emitted manifest constructs every matcher expression with.
    private const RegexOptions ManifestOptions = PathToRegexp.EmittedOptions | RegexOptions.Compiled;

    // Text that follows a rule's literal in the generated paths: segments, empty segments, every delimiter the
    // non-strict end accepts (once or twice, alone or after a segment), a final newline (which '$' lets through),
    // case changes, non-ASCII text and still-encoded escapes.
    private static readonly string[] s_suffixes =
    [
        "", "/", "//", "#", "?", "/?", "/#", "?/", "#/", "##", "??", "s", "S", "-", ".", "x/", "\n", "/\n", "\n\n", "#\n",
        "/a", "/a/", "/a//", "//a", "/a#", "/a?", "/a?b", "/a#b", "/a/?", "/a?/", "/a/#", "/A", "/é", "/é/ü", "/%20",
        "/a%2Fb", "/a/b", "/a/b/", "/a/b#", "/a/b?", "/a/b/c", "/a//b", "/a/\n", "/a\n", "/a\nb", "/.", "/..", "/ ",
        "/a b", "/a.b-c_d~e", "/\u00e9t\u00e9/2", "/\ud83d\ude00", "/:", "/*", "/(", "/\\", "/a/b/c/d/e/f/g",
    ];

    public static TheoryData<string> SupportedSources =>
    [
        // Pure literals.
        "/about",
        "/docs/intro.html",
        "/a-b_c~d",
        "/caf\u00e9",
        "/docs/",
        "/a.b/c-d",
        "/a b",
        "/a#b",
        "/a$b^c|d[e]=!",
        "/\ud83d\ude00",

        // A literal, then one default-pattern parameter with its '/' prefix.
        "/:path*",
        "/:id",
        "/:id?",
        "/:rest+",
        "/api/:path*",
        "/blog/:slug",
        "/shop/:rest+",
        "/a/:b?",
        "/caf\u00e9/:id",
        "/docs/v1.2/:page",
        "/a-b/_c~/:x*",
        "/api//:path*",
        "//:id",
        "/docs/:path?",
        "/a#b/:c+",
    ];

    public static TheoryData<string> UnsupportedSources =>
    [
        "/",
        "",
        "api/:path*",
        "/(a|b)",
        "/((?!api|static).*)",
        "/foo{/bar}?",
        "/api{/:v}*",
        "/post/:id(\\d+)",
        "/files/:rest(.*)",
        "/a\\+b",
        "/price\\:usd",
        "/a/:b*/c",
        "/a/:b?/c",
        "/a/:b/:c",
        "/a/:b:c",
        "/file.:ext",
        "/file.:ext?",
        "/a-:b",
        "/a/:b-c",
        "/a/:b**",
        "/a/:",
        "/a*",
        "/a/?",
        "/a)b",
    ];

    [Theory]
    [MemberData(nameof(SupportedSources))]
    public void TryClassify_SupportedSource_AgreesWithEmittedRegexOnEveryPath(string source)
    {
        var regex = CompileAsManifest(source);
        Assert.True(PathShapeClassifier.TryClassify(source, out var classified), $"'{source}' should have a shape.");
        var sut = ToContract(classified);

        var mismatches = new StringBuilder();
        var checkedPaths = 0;
        foreach (var path in Paths(classified.Literal))
        {
            checkedPaths++;
            var expected = regex.IsMatch(path);
            if (sut.IsMatch(path) != expected)
            {
                mismatches.Append("  ").Append(Show(path)).Append(": regex ").Append(expected).AppendLine();
            }
        }

        Assert.True(mismatches.Length == 0, $"'{source}' ({regex}, shape {sut}) disagrees on:\n{mismatches}");
        Assert.True(checkedPaths > 1000, $"only {checkedPaths} paths were generated");
    }

    [Theory]
    [MemberData(nameof(UnsupportedSources))]
    public void TryClassify_SourceNeedingTheRegex_HasNoShape(string source)
    {
        Assert.False(PathShapeClassifier.TryClassify(source, out _), $"'{source}' should keep only the regex.");
    }

    [Theory]
    [InlineData("/about", "/about", MiddlewarePathTail.None)]
    [InlineData("/docs/", "/docs/", MiddlewarePathTail.None)]
    [InlineData("/blog/:slug", "/blog", MiddlewarePathTail.OneSegment)]
    [InlineData("/a/:b?", "/a", MiddlewarePathTail.OptionalSegment)]
    [InlineData("/shop/:rest+", "/shop", MiddlewarePathTail.OneOrMoreSegments)]
    [InlineData("/api/:path*", "/api", MiddlewarePathTail.ZeroOrMoreSegments)]
    [InlineData("/:path*", "", MiddlewarePathTail.ZeroOrMoreSegments)]
    [InlineData("/api//:path*", "/api/", MiddlewarePathTail.ZeroOrMoreSegments)]
    public void TryClassify_SupportedSource_SplitsLiteralAndTail(string source, string literal, MiddlewarePathTail tail)
    {
        Assert.True(PathShapeClassifier.TryClassify(source, out var classified));

        var shape = ToContract(classified);
        Assert.Equal(literal, shape.Literal);
        Assert.Equal(tail, shape.Tail);
    }

    [Fact]
    public void PathShapeTail_Names_AreTheContractsNames()
    {
        // The emitted code names the contract's member by the generator's member name.
        Assert.Equal(Enum.GetNames<MiddlewarePathTail>(), Enum.GetNames<PathShapeTail>());
    }

    [Theory]
    [InlineData("/about", "/about\n", true)]
    [InlineData("/about", "/about/\n", true)]
    [InlineData("/about", "/about\n\n", false)]
    [InlineData("/api/:path*", "/api/a%23b", true)]
    [InlineData("/api/:path*", "/api/a#b", false)]
    [InlineData("/api/:path*", "/api/a#", true)]
    [InlineData("/api/:path*", "/api?", true)]
    [InlineData("/api/:path*", "/api/?", false)]
    public void IsMatch_DecodedDelimiterOrFinalNewline_AnswersAsTheRegex(string source, string path, bool expected)
    {
        Assert.True(PathShapeClassifier.TryClassify(source, out var classified));

        Assert.Equal(expected, ToContract(classified).IsMatch(path));
        Assert.Equal(expected, CompileAsManifest(source).IsMatch(path));
    }

    [Fact]
    public void Constructor_UndefinedTail_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MiddlewarePathShape("/a", (MiddlewarePathTail)42));
    }

    private static Regex CompileAsManifest(string source)
    {
        var result = PathToRegexp.Compile(source);
        Assert.True(result.Error is null, $"'{source}' failed: {result.Error}");
        return new Regex(result.Pattern!, ManifestOptions);
    }

    private static MiddlewarePathShape ToContract(PathShape shape) =>
        new(shape.Literal, Enum.Parse<MiddlewarePathTail>(shape.Tail.ToString()));

    // Paths around a literal: the literal and near misses of it (other case, one character short, one longer, under
    // another prefix), each followed by every suffix and by every pair of suffixes; plus paths that ignore the literal.
    private static IEnumerable<string> Paths(string literal)
    {
        string[] fixedPaths = ["", "/", "//", "#", "?", "/?", "/#", "\n", "/\n", "x", "/x", "/index", "/\u00e9", "/caf\u00e9", "/CAF\u00c9"];
        foreach (var path in fixedPaths)
        {
            yield return path;
        }

        var heads = new List<string> { literal, literal.ToUpperInvariant(), literal + "s", "/x" + literal };
        if (literal.Length > 0)
        {
            heads.Add(literal[..^1]);
            heads.Add(literal.ToLowerInvariant());
            heads.Add(literal[1..]);
        }

        foreach (var head in heads)
        {
            foreach (var suffix in s_suffixes)
            {
                yield return head + suffix;
            }
        }

        foreach (var first in s_suffixes)
        {
            foreach (var second in s_suffixes)
            {
                yield return literal + first + second;
            }
        }
    }

    private static string Show(string path) => "'" + path.Replace("\n", "\\n", StringComparison.Ordinal) + "'";
}
