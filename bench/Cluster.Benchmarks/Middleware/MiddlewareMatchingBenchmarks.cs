using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cluster.Gateway.Middleware;
using Cluster.Generators.Middleware;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Benchmarks.Middleware;

/// <summary>
/// Deciding whether the middleware runs, over 50 matcher rules compiled as the build compiles them (path-to-regexp
/// sources, some with has/missing conditions): the gateway's evaluator against a naive baseline that tries every
/// rule's regex on the raw and the decoded path and looks conditions up in freshly parsed dictionaries. The rules carry
/// the regex-free shapes the build emits for simple sources (20 of the 50); <c>*_EvaluatorRegexOnly</c> runs the same
/// evaluator over the same rules without them, to show what the shapes save.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MiddlewareMatchingBenchmarks
{
    private const int RuleCount = 50;
    private const string FirstRulePath = "/api/v0/orders/42";
    private const string LastRulePath = "/reports/49/2026/q3";
    private const string MissPath = "/static/img/logo.png";
    private const string Query = "?page=2";
    private const string Host = "shop.example:5000";

    private MiddlewareMatcherEvaluator _evaluator = null!;
    private MiddlewareMatcherEvaluator _regexOnlyEvaluator = null!;
    private MiddlewareMatcher[] _matchers = null!;
    private RouteHeaders _headers = null!;

    [GlobalSetup]
    public void Setup()
    {
        _matchers = BuildRules();
        _evaluator = new MiddlewareMatcherEvaluator(_matchers);
        _regexOnlyEvaluator = new MiddlewareMatcherEvaluator(_matchers.Select(WithoutShape).ToArray());
        _headers = new RouteHeaders(
        [
            new("host", Host),
            new("accept", "application/json"),
            new("cookie", "session=abc; theme=dark"),
            new("user-agent", "bench/1.0"),
        ]);

        Validate(FirstRulePath, expected: true);
        Validate(LastRulePath, expected: true);
        Validate(MissPath, expected: false);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("FirstRule")]
    public bool FirstRule_Naive() => Naive(FirstRulePath);

    [Benchmark]
    [BenchmarkCategory("FirstRule")]
    public bool FirstRule_Evaluator() => _evaluator.ShouldRun(FirstRulePath, Query, _headers, Host);

    [Benchmark]
    [BenchmarkCategory("FirstRule")]
    public bool FirstRule_EvaluatorRegexOnly() => _regexOnlyEvaluator.ShouldRun(FirstRulePath, Query, _headers, Host);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("LastRule")]
    public bool LastRule_Naive() => Naive(LastRulePath);

    [Benchmark]
    [BenchmarkCategory("LastRule")]
    public bool LastRule_Evaluator() => _evaluator.ShouldRun(LastRulePath, Query, _headers, Host);

    [Benchmark]
    [BenchmarkCategory("LastRule")]
    public bool LastRule_EvaluatorRegexOnly() => _regexOnlyEvaluator.ShouldRun(LastRulePath, Query, _headers, Host);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Miss")]
    public bool Miss_Naive() => Naive(MissPath);

    [Benchmark]
    [BenchmarkCategory("Miss")]
    public bool Miss_Evaluator() => _evaluator.ShouldRun(MissPath, Query, _headers, Host);

    [Benchmark]
    [BenchmarkCategory("Miss")]
    public bool Miss_EvaluatorRegexOnly() => _regexOnlyEvaluator.ShouldRun(MissPath, Query, _headers, Host);

    // 50 rules of the kinds apps write: sections with :path*, params with custom patterns, optional params, raw
    // negative-lookahead groups, and every fifth rule with a has (cookie) or missing (header) condition.
    private static MiddlewareMatcher[] BuildRules()
    {
        var rules = new MiddlewareMatcher[RuleCount];
        for (var i = 0; i < RuleCount; i++)
        {
            var source = (i % 5) switch
            {
                0 => $"/api/v{i}/:path*",
                1 => $"/account-{i}/:section/:id(\\d+)",
                2 => $"/blog-{i}/:slug?",
                3 => $"/docs-{i}/((?!internal).*)",
                _ => $"/reports/{i}/:year(\\d{{4}})/:rest+",
            };
            var compiled = PathToRegexp.Compile(source);
            if (compiled.Pattern is null)
            {
                throw new InvalidOperationException($"Rule '{source}' does not compile: {compiled.Error}");
            }

            rules[i] = new MiddlewareMatcher
            {
                Source = source,
                Path = new Regex(compiled.Pattern, PathToRegexp.EmittedOptions | RegexOptions.Compiled),
                Shape = ShapeOf(source),
                Has = i % 10 == 4 ? [new MiddlewareConditionMatcher { Type = MatcherConditionType.Cookie, Key = "session" }] : [],
                Missing = i % 10 == 9 ? [new MiddlewareConditionMatcher { Type = MatcherConditionType.Header, Key = "x-skip", Value = new Regex("^(?:1)$") }] : [],
            };
        }

        return rules;
    }

    // The shape the manifest emitter writes for the source, if any (the generator's enum names the contract's members).
    private static MiddlewarePathShape? ShapeOf(string source) =>
        PathShapeClassifier.TryClassify(source, out var shape)
            ? new MiddlewarePathShape(shape.Literal, Enum.Parse<MiddlewarePathTail>(shape.Tail.ToString()))
            : null;

    private static MiddlewareMatcher WithoutShape(MiddlewareMatcher matcher) => new()
    {
        Source = matcher.Source,
        Path = matcher.Path,
        Has = matcher.Has,
        Missing = matcher.Missing,
    };

    private bool Naive(string path)
    {
        var decoded = Uri.UnescapeDataString(path);
        var cookies = RouteRequest.Create("GET", new Uri("http://" + Host + path + Query), _headers).Cookies;
        foreach (var rule in _matchers)
        {
            if (!rule.Path.IsMatch(path) && !rule.Path.IsMatch(decoded))
            {
                continue;
            }

            var passes = rule.Has.All(c => c.Type != MatcherConditionType.Cookie || cookies.ContainsKey(c.Key!))
                && rule.Missing.All(c => !_headers.TryGetValue(c.Key!, out var value) || c.Value?.IsMatch(value) == false);
            if (passes)
            {
                return true;
            }
        }

        return false;
    }

    private void Validate(string path, bool expected)
    {
        var evaluator = _evaluator.ShouldRun(path, Query, _headers, Host);
        var regexOnly = _regexOnlyEvaluator.ShouldRun(path, Query, _headers, Host);
        var naive = Naive(path);
        if (evaluator != expected || regexOnly != expected || naive != expected)
        {
            throw new InvalidOperationException(
                $"'{path}': expected {expected}, evaluator {evaluator}, regex-only evaluator {regexOnly}, naive {naive}.");
        }
    }
}
