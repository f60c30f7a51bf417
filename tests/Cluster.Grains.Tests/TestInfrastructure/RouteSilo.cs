using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>An in-process silo with route grains for a hand-built manifest, and captured logs.</summary>
internal sealed class RouteSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hostedServices;

    private RouteSilo(ServiceProvider services, InMemoryLoggerProvider logs)
    {
        _services = services;
        Logs = logs;
        _hostedServices = [.. services.GetServices<IHostedService>()];
    }

    public InMemoryLoggerProvider Logs { get; }

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    public static Task<RouteSilo> StartAsync(params RouteDefinition[] routes) => StartAsync(settings: [], routes);

    /// <summary>Starts a silo whose configuration holds <paramref name="settings"/> (e.g. <c>Cluster:Routes:StatelessWorkers:0</c>).</summary>
    public static async Task<RouteSilo> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, params RouteDefinition[] routes)
    {
        var logs = new InMemoryLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddClusterRuntime().AddRouteGrains(new ClusterAppManifest { AppName = "TestApp", Routes = routes });
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var silo = new RouteSilo(provider, logs);
        foreach (var hosted in silo._hostedServices)
        {
            await hosted.StartAsync(CancellationToken.None).WithTimeout();
        }

        return silo;
    }

    public static RouteDefinition Route(
        string pattern, RouteMethods methods, Func<RouteMethod, RouteRequest, RouteContext, ValueTask<RouteResponse?>> invoke, RouteConfig? config = null)
        => new()
        {
            Pattern = pattern,
            SourceFile = $"app{pattern}/route.cs",
            HandlerType = "TestApp.Route",
            Methods = methods,
            Config = config ?? RouteConfig.Default,
            CreateHandler = _ => new TestRouteHandler(invoke),
        };

    public static RouteInvocation Invocation(
        string pattern,
        RouteMethod handler = RouteMethod.Get,
        RouteParams? @params = null,
        RouteHeaders? headers = null,
        ReadOnlyMemory<byte> body = default)
        => new()
        {
            Pattern = pattern,
            Handler = handler,
            Method = handler.ToString().ToUpperInvariant(),
            Scheme = "https",
            Host = "shop.example",
            Path = pattern,
            QueryString = "?q=1",
            Headers = headers ?? RouteHeaders.Empty,
            Body = body,
            Params = @params ?? RouteParams.Empty,
        };

    public IServiceProvider Services => _services;

    public async Task<RouteResponse> InvokeAsync(RouteInvocation invocation, CancellationToken cancellationToken = default)
        => (await ReplyAsync(invocation, cancellationToken)).Response;

    /// <summary>Calls the route grain and returns its whole reply (response and cache outcome).</summary>
    public Task<RouteReply> ReplyAsync(RouteInvocation invocation, CancellationToken cancellationToken = default)
        => GrainFactory.GetRouteGrain(invocation.Pattern).InvokeAsync(invocation, cancellationToken).WithTimeout();

    /// <summary>Calls the route the way the gateway does: through its worker pool when it is a stateless-worker route.</summary>
    public async Task<RouteResponse> DispatchAsync(RouteInvocation invocation, CancellationToken cancellationToken = default)
        => (await GrainFactory.GetRouteGrain(invocation.Pattern, _services.GetRequiredService<StatelessWorkerRoutes>().Contains(invocation.Pattern))
            .InvokeAsync(invocation, cancellationToken).WithTimeout()).Response;

    /// <summary>How many activations of <paramref name="grainType"/> for <paramref name="pattern"/> started (from the runtime's Debug log).</summary>
    public int Activations(string grainType, string pattern)
        => Logs.Entries.Count(e => e.EventId.Id == 4001 && e.Message.Contains($"{grainType}/{pattern} ", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hostedServices.Reverse())
        {
            await hosted.StopAsync(CancellationToken.None).WithTimeout();
        }

        await _services.DisposeAsync();
    }
}
