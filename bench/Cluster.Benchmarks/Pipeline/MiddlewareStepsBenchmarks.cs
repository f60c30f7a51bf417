using BenchmarkDotNet.Attributes;
using Cluster.Gateway.Middleware;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Benchmarks.Pipeline;

/// <summary>
/// The steps the gateway adds for the sample app's middleware on <c>GET /api/products/1</c>, one by one, to see where
/// the middleware's per-request cost goes (it answers <c>Next().WithResponseHeader("x-api-version", "1")</c>).
/// </summary>
[MemoryDiagnoser]
public class MiddlewareStepsBenchmarks
{
    private const string Path = "/api/products/1";

    private MiddlewareDefinition _middleware = null!;
    private MiddlewareMatcherEvaluator _evaluator = null!;
    private RouteHeaders _headers = null!;
    private RouteRequest _request = null!;
    private MiddlewareContext _context = null!;
    private MiddlewareResult _result = null!;

    [GlobalSetup]
    public void Setup()
    {
        _middleware = Cluster.Generated.AppManifest.Instance.Middleware
            ?? throw new InvalidOperationException("The sample app has no middleware.");
        _evaluator = new MiddlewareMatcherEvaluator(_middleware.Matchers);
        _headers = new RouteHeaders([new("host", "localhost:5000"), new("user-agent", "wrk")]);
        _request = NewRequest();
        _context = new MiddlewareContext(static _ => { }, CancellationToken.None);
        _result = _middleware.Invoke(_request, _context).Result;
        if (!_evaluator.ShouldRun(Path, string.Empty, _headers, "localhost:5000") || _result.ResponseHeaders.Count != 1)
        {
            throw new InvalidOperationException("The sample middleware does not behave as measured here.");
        }
    }

    [Benchmark]
    public bool Matcher() => _evaluator.ShouldRun(Path, string.Empty, _headers, "localhost:5000");

    [Benchmark]
    public RouteRequest CreateRequest() => NewRequest();

    [Benchmark]
    public MiddlewareResult RunMiddleware() => _middleware.Invoke(_request, new MiddlewareContext(static _ => { }, CancellationToken.None)).Result;

    [Benchmark]
    public void ApplyResponseHeaders() => MiddlewareResponseHeaders.ApplyTo(new HeaderDictionary(), _result.ResponseHeaders, NullLogger.Instance);

    private RouteRequest NewRequest() =>
        new("GET", "http", "localhost:5000", Path, string.Empty, _headers, ReadOnlyMemory<byte>.Empty);
}
