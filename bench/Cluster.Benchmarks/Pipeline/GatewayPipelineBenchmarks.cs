using BenchmarkDotNet.Attributes;
using Cluster.Gateway.Hosting;
using Cluster.Gateway.Pipeline;
using Cluster.Routing.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Benchmarks.Pipeline;

/// <summary>
/// The gateway's own work for one request, without sockets or Kestrel: the real request handler (normalisation,
/// middleware, routing, dispatch to the in-process route grain, the handler, the response writer) on a
/// <see cref="DefaultHttpContext"/>, for the sample app with and without its middleware. The difference is what the
/// middleware costs in the gateway's code; the end-to-end script measures the rest (Kestrel, the network).
/// </summary>
[MemoryDiagnoser]
public class GatewayPipelineBenchmarks
{
    private const string Path = "/api/products/1";

    private WebApplication _withMiddleware = null!;
    private WebApplication _withoutMiddleware = null!;
    private GatewayRequestHandler _handlerWithMiddleware = null!;
    private GatewayRequestHandler _handlerWithoutMiddleware = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sample = Cluster.Generated.AppManifest.Instance;
        if (sample.Middleware is null)
        {
            throw new InvalidOperationException("The sample app has no middleware to measure.");
        }

        (_withMiddleware, _handlerWithMiddleware) = Start(sample);
        (_withoutMiddleware, _handlerWithoutMiddleware) = Start(new ClusterAppManifest { AppName = sample.AppName, Routes = sample.Routes });

        Validate(_handlerWithMiddleware, expectHeader: true);
        Validate(_handlerWithoutMiddleware, expectHeader: false);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _withMiddleware.StopAsync().GetAwaiter().GetResult();
        _withoutMiddleware.StopAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task WithoutMiddleware() => _handlerWithoutMiddleware.InvokeAsync(CreateContext());

    [Benchmark]
    public Task WithMiddleware() => _handlerWithMiddleware.InvokeAsync(CreateContext());

    private static (WebApplication App, GatewayRequestHandler Handler) Start(ClusterAppManifest manifest)
    {
        var app = ClusterGateway.CreateApplication(
            ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"],
            manifest,
            static builder => builder.Logging.ClearProviders());
        app.StartAsync().GetAwaiter().GetResult();
        return (app, app.Services.GetRequiredService<GatewayRequestHandler>());
    }

    private static DefaultHttpContext CreateContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 5000);
        context.Request.Path = Path;
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget = Path;
        context.Response.Body = Stream.Null;
        return context;
    }

    private static void Validate(GatewayRequestHandler handler, bool expectHeader)
    {
        var context = CreateContext();
        handler.InvokeAsync(context).GetAwaiter().GetResult();
        var hasHeader = context.Response.Headers.ContainsKey("x-api-version");
        if (context.Response.StatusCode != 200 || hasHeader != expectHeader)
        {
            throw new InvalidOperationException($"Unexpected response: {context.Response.StatusCode}, x-api-version present: {hasHeader}.");
        }
    }
}
