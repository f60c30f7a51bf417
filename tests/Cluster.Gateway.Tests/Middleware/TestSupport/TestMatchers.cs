using System.Text.RegularExpressions;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>
/// Builds compiled matcher rules by hand, as the route generator will emit them (anchored regexes, and for simple
/// sources the equivalent regex-free shape).
/// </summary>
public static class TestMatchers
{
    public static MiddlewareMatcher Rule(
        string pathRegex,
        IReadOnlyList<MiddlewareConditionMatcher>? has = null,
        IReadOnlyList<MiddlewareConditionMatcher>? missing = null,
        string source = "/",
        MiddlewarePathShape? shape = null) => new()
        {
            // The evaluator takes a literal prefix from the source; "/" has none, so the regex alone decides.
            Source = source,
            Path = new Regex(pathRegex, RegexOptions.CultureInvariant),
            Shape = shape,
            Has = has ?? [],
            Missing = missing ?? [],
        };

    public static MiddlewareConditionMatcher Condition(MatcherConditionType type, string? key, string? valueRegex = null) => new()
    {
        Type = type,
        Key = key,
        Value = valueRegex is null ? null : new Regex("^(?:" + valueRegex + ")$", RegexOptions.CultureInvariant),
    };
}
