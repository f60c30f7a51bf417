using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>
/// An in-process silo with route grains for a hand-built manifest, captured logs, a manual cache clock
/// (<see cref="CacheTime"/>, the silo's <see cref="RouteCacheClock"/>) and a recording broadcast (<see cref="Broadcasts"/>).
/// </summary>
internal sealed class RouteSilo : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IHostedService[] _hostedServices;

    private RouteSilo(ServiceProvider services, InMemoryLoggerProvider logs, FakeTimeProvider cacheTime, RecordingClusterBroadcast broadcasts)
    {
        _services = services;
        Logs = logs;
        CacheTime = cacheTime;
        Broadcasts = broadcasts;
        _hostedServices = [.. services.GetServices<IHostedService>()];
    }

    public InMemoryLoggerProvider Logs { get; }

    /// <summary>The route cache's time: it moves only when a test advances it.</summary>
    public FakeTimeProvider CacheTime { get; }

    /// <summary>The silo's <see cref="IClusterBroadcast"/>: records every notice (near-cache invalidations).</summary>
    public RecordingClusterBroadcast Broadcasts { get; }

    public IGrainFactory GrainFactory => _services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's cached route responses, with a barrier for the next entry stored.</summary>
    public ObservedRouteCacheStore Store => (ObservedRouteCacheStore)_services.GetRequiredService<IRouteCacheStore>();

    public static Task<RouteSilo> StartAsync(params RouteDefinition[] routes) => StartAsync(settings: [], routes);

    /// <summary>Starts a silo whose configuration holds <paramref name="settings"/> (e.g. <c>Cluster:Routes:StatelessWorkers:0</c>).</summary>
    public static Task<RouteSilo> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, params RouteDefinition[] routes)
        => StartAsync(settings, configureServices: null, routes);

    /// <summary>Starts a silo with <paramref name="settings"/>; <paramref name="configureServices"/> runs last, so it may replace any service.</summary>
    public static async Task<RouteSilo> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? configureServices, params RouteDefinition[] routes)
    {
        var logs = new InMemoryLoggerProvider();
        var cacheTime = new FakeTimeProvider();
        var broadcasts = new RecordingClusterBroadcast();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton(new RouteCacheClock(cacheTime));
        services.AddClusterRuntime().AddRouteGrains(new ClusterAppManifest { AppName = "TestApp", Routes = routes });

        // Whatever the runtime registers: the tests read what was broadcast.
        services.Replace(ServiceDescriptor.Singleton<IClusterBroadcast>(broadcasts));
        services.AddSingleton<RouteCacheStore>();
        services.Replace(ServiceDescriptor.Singleton<IRouteCacheStore>(static sp => new ObservedRouteCacheStore(sp.GetRequiredService<RouteCacheStore>())));
        configureServices?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var silo = new RouteSilo(provider, logs, cacheTime, broadcasts);
        foreach (var hosted in silo._hostedServices)
        {
            await hosted.StartAsync(CancellationToken.None).WithTimeout();
        }

        return silo;
    }

    public static RouteDefinition Route(
        string pattern,
        RouteMethods methods,
        Func<RouteMethod, RouteRequest, RouteContext, ValueTask<RouteResponse?>> invoke,
        RouteConfig? config = null,
        Func<ValueTask<IEnumerable<RouteParams>>>? generateStaticParams = null)
        => new()
        {
            Pattern = pattern,
            SourceFile = $"app{pattern}/route.cs",
            HandlerType = "TestApp.Route",
            Methods = methods,
            Config = config ?? RouteConfig.Default,
            CreateHandler = _ => new TestRouteHandler(invoke),
            GenerateStaticParams = generateStaticParams,
        };

    /// <summary>A routed request of <paramref name="pattern"/>; the path is the pattern unless <paramref name="path"/> says otherwise.</summary>
    public static RouteInvocation Invocation(
        string pattern,
        RouteMethod handler = RouteMethod.Get,
        RouteParams? @params = null,
        RouteHeaders? headers = null,
        ReadOnlyMemory<byte> body = default,
        string? path = null,
        string? method = null,
        string queryString = "?q=1")
        => new()
        {
            Pattern = pattern,
            Handler = handler,
            Method = method ?? handler.ToString().ToUpperInvariant(),
            Scheme = "https",
            Host = "shop.example",
            Path = path ?? pattern,
            QueryString = queryString,
            Headers = headers ?? RouteHeaders.Empty,
            Body = body,
            Params = @params ?? RouteParams.Empty,
        };

    /// <summary>Asks the owner of <paramref name="pattern"/> to drop <paramref name="path"/> (or every path, when null).</summary>
    public async Task<int> InvalidateAsync(string pattern, string? path, CancellationToken cancellationToken = default)
        => (await GrainFactory.GetRouteGrain(pattern).Grain
            .InvokeAsync<RouteCacheInvalidation, RouteCacheInvalidationResult>(new RouteCacheInvalidation { Path = path }, cancellationToken)
            .WithTimeout()).Dropped;

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
