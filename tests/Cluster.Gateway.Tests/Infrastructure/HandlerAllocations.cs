using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>Measuring what the gateway's request handler allocates per request, without a server.</summary>
internal static class HandlerAllocations
{
    /// <summary>Bytes allocated per call, warmed up, on this thread; every call must complete synchronously.</summary>
    public static long PerCall(Func<Task> call, int rounds)
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.True(call().IsCompletedSuccessfully);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < rounds; i++)
        {
            call();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / rounds;
    }

    /// <summary>An app of one ISR route, <c>/isr/[id]</c>, whose handler must never run (its owner is scripted).</summary>
    public static ClusterAppManifest IsrManifest() => new()
    {
        AppName = "alloc",
        Routes =
        [
            new RouteDefinition
            {
                Pattern = "/isr/[id]",
                SourceFile = "app/isr/[id]/route.cs",
                HandlerType = "Tests.Isr",
                Methods = RouteMethods.Get,
                Config = new RouteConfig { Revalidate = 10 },
                CreateHandler = static _ => new DelegateRouteHandler(static (_, _) => throw new InvalidOperationException("Not called.")),
            },
        ],
    };

    /// <summary>A reusable GET context for <paramref name="target"/> whose response body goes nowhere.</summary>
    public static DefaultHttpContext CreateContext(string target)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Get;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("localhost", 5000);
        context.Request.Path = target;
        context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget = target;
        context.Response.Body = Stream.Null;
        return context;
    }
}
