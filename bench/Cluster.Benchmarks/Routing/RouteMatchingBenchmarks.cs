using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Cluster.Grains.Matching;

namespace Cluster.Benchmarks.Routing;

/// <summary>
/// Route resolution over a generated tree of 1,000 routes: the gateway's trie against the naive baseline, which does
/// what Next.js does (static set lookup, then one anchored regex per dynamic route in sorted order).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RouteMatchingBenchmarks
{
    private const string StaticPath = "/guides/page-31";
    private const string DynamicPath = "/api/v2/webhooks/8f14e45f/items/42";
    private const string CatchAllPath = "/docs/product-087/guides/routing/dynamic-segments";
    private const string MissPath = "/api/v3/users/42";

    private RouteTable _table = null!;
    private RegexRouteMatcher _regex = null!;

    [GlobalSetup]
    public void Setup()
    {
        _table = RouteTable.Build(RouteTreeGenerator.Definitions());
        if (_table.Routes.Count != RouteTreeGenerator.RouteCount)
        {
            throw new InvalidOperationException($"Expected {RouteTreeGenerator.RouteCount} routes, got {_table.Routes.Count}.");
        }

        // Compiled, because V8 compiles Next.js's regexes to native code too.
        _regex = new RegexRouteMatcher(_table, RegexOptions.Compiled);

        Validate(StaticPath, "/guides/page-31", Static_Trie(), Static_Regex());
        Validate(DynamicPath, "/api/v2/webhooks/[id]/items/[itemId]", Dynamic_Trie(), Dynamic_Regex());
        Validate(CatchAllPath, "/docs/product-087/[...slug]", CatchAll_Trie(), CatchAll_Regex());
        Validate(MissPath, null, Miss_Trie(), Miss_Regex());
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Static")]
    public int Static_Regex() => MatchRegex(StaticPath);

    [Benchmark]
    [BenchmarkCategory("Static")]
    public int Static_Trie() => MatchTrie(StaticPath);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Dynamic")]
    public int Dynamic_Regex() => MatchRegex(DynamicPath);

    [Benchmark]
    [BenchmarkCategory("Dynamic")]
    public int Dynamic_Trie() => MatchTrie(DynamicPath);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("CatchAll")]
    public int CatchAll_Regex() => MatchRegex(CatchAllPath);

    [Benchmark]
    [BenchmarkCategory("CatchAll")]
    public int CatchAll_Trie() => MatchTrie(CatchAllPath);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Miss")]
    public int Miss_Regex() => MatchRegex(MissPath);

    [Benchmark]
    [BenchmarkCategory("Miss")]
    public int Miss_Trie() => MatchTrie(MissPath);

    private int MatchTrie(string path) => _table.TryMatch(path, out var match) ? match.Entry.Index : -1;

    private int MatchRegex(string path) => _regex.TryMatch(path, out var entry) ? entry.Index : -1;

    private void Validate(string path, string? expectedPattern, int trieIndex, int regexIndex)
    {
        var expected = expectedPattern is null ? -1 : _table.Routes.Single(r => r.Pattern.Text == expectedPattern).Index;
        if (trieIndex != expected || regexIndex != expected)
        {
            throw new InvalidOperationException(
                $"'{path}' should resolve to {expectedPattern ?? "nothing"} (#{expected}); the trie gave #{trieIndex}, the regex list #{regexIndex}.");
        }
    }
}
