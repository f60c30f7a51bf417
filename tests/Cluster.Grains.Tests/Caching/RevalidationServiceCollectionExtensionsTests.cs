using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Grains.Tests.Caching;

/// <summary>
/// <see cref="RevalidationServiceCollectionExtensions.AddRouteCacheRevalidation"/> replaces the default revalidator in
/// either registration order, keeps a host's own, registers the wire message once, and can be called again.
/// </summary>
public sealed class RevalidationServiceCollectionExtensionsTests
{
    private static readonly ClusterAppManifest s_manifest = new()
    {
        AppName = "TestApp",
        Routes =
        [
            new RouteDefinition
            {
                Pattern = "/a",
                SourceFile = "app/a/route.cs",
                HandlerType = "TestApp.A",
                Methods = RouteMethods.Get,
                Config = new RouteConfig { Revalidate = 1, Tags = ["t"] },
                CreateHandler = static _ => throw new InvalidOperationException("Not run."),
            },
        ],
    };

    [Fact]
    public void AddRouteCacheRevalidation_AfterAddRouteGrains_ReplacesTheDefault()
    {
        var services = Services();
        services.AddClusterRuntime().AddRouteGrains(s_manifest);

        services.AddRouteCacheRevalidation();

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Assert.Same(provider.GetRequiredService<ClusterRouteRevalidator>(), provider.GetRequiredService<IRouteRevalidator>());
        Assert.Single(services, static d => d.ServiceType == typeof(IRouteRevalidator));
    }

    [Fact]
    public void AddRouteCacheRevalidation_BeforeAddRouteGrains_IsNotReplacedByTheDefault()
    {
        var services = Services();

        // Nothing is resolved at registration, so it may come first.
        services.AddRouteCacheRevalidation();
        services.AddClusterRuntime().AddRouteGrains(s_manifest);

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Assert.IsType<ClusterRouteRevalidator>(provider.GetRequiredService<IRouteRevalidator>());
    }

    [Fact]
    public void AddRouteCacheRevalidation_HostRegisteredItsOwn_KeepsIt()
    {
        var services = Services();
        var own = new OwnRevalidator();
        services.AddSingleton<IRouteRevalidator>(own);
        services.AddClusterRuntime().AddRouteGrains(s_manifest);

        services.AddRouteCacheRevalidation();

        using var provider = services.BuildServiceProvider();
        Assert.Same(own, provider.GetRequiredService<IRouteRevalidator>());
        Assert.NotNull(provider.GetRequiredService<ClusterRouteRevalidator>());
    }

    [Fact]
    public void AddRouteCacheRevalidation_Twice_RegistersEverythingOnce()
    {
        var services = Services();
        services.AddClusterRuntime().AddRouteGrains(s_manifest);

        services.AddRouteCacheRevalidation();
        var count = services.Count;
        services.AddRouteCacheRevalidation();

        Assert.Equal(count, services.Count);
        Assert.Single(services, static d => IsMessage(d, "route-cache.invalidate.v1"));
    }

    [Fact]
    public void AddRouteCacheRevalidation_RegistersTheTagIndexOfTheCatalog()
    {
        var services = Services();
        services.AddClusterRuntime().AddRouteGrains(s_manifest);

        services.AddRouteCacheRevalidation();

        using var provider = services.BuildServiceProvider();
        Assert.Equal(["/a"], provider.GetRequiredService<RouteTagIndex>().PatternsOf("t"));
    }

    private static ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        return services;
    }

    // The runtime's message descriptor type is internal to it: the registered instance names its message.
    private static bool IsMessage(ServiceDescriptor descriptor, string name)
        => !descriptor.IsKeyedService
        && descriptor.ImplementationInstance is { } instance
        && instance.GetType().GetProperty("Name")?.GetValue(instance) is string registered
        && registered == name;

    private sealed class OwnRevalidator : IRouteRevalidator
    {
        public Task RevalidatePathAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RevalidateTagAsync(string tag, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
