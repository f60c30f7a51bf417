using Cluster.Gateway.Caching;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Caching;

public sealed class NearCacheOptionsTests
{
    private static readonly ClusterAppManifest s_app = new() { AppName = "empty", Routes = [] };

    [Fact]
    public async Task Defaults_EnabledWith64MiB()
    {
        await using var host = await GatewayHost.StartAsync(s_app);

        var options = host.Services.GetRequiredService<IOptions<NearCacheOptions>>().Value;

        Assert.True(options.Enabled);
        Assert.Equal(64L * 1024 * 1024, options.MaxBytes);
    }

    [Fact]
    public async Task Settings_AreBoundFromGatewayNearCache()
    {
        await using var host = await GatewayHost.StartAsync(s_app, "--Gateway:NearCache:Enabled=false", "--Gateway:NearCache:MaxBytes=1048576");

        var nearCache = host.Services.GetRequiredService<GatewayNearCache>();
        var options = host.Services.GetRequiredService<IOptions<NearCacheOptions>>().Value;

        Assert.False(nearCache.Enabled);
        Assert.Equal(1_048_576, options.MaxBytes);
    }

    [Fact]
    public async Task Disabled_EveryGetOfACachedRouteIsACallAndKeepsTheOwnersCacheHeader()
    {
        var owners = new ScriptedRouteDispatcher();
        var app = new ClusterAppManifest
        {
            AppName = "disabled",
            Routes =
            [
                new RouteDefinition
                {
                    Pattern = "/static/[id]",
                    SourceFile = "app/static/[id]/route.cs",
                    HandlerType = "Tests.Static",
                    Methods = RouteMethods.Get,
                    Config = new RouteConfig { Dynamic = DynamicMode.ForceStatic },
                    CreateHandler = static _ => new DelegateRouteHandler(static (_, _) => throw new InvalidOperationException("Not called.")),
                },
            ],
        };
        await using var host = await GatewayHost.StartAsync(
            app, services => services.AddSingleton<IRouteDispatcher>(owners), "--Gateway:NearCache:Enabled=false");

        await host.Client.GetAsync("/static/1");
        using var second = await host.Client.GetAsync("/static/1");

        Assert.Equal(2, owners.Calls("/static/1"));
        Assert.Equal("MISS", second.Headers.GetValues(RouteResponseWriter.RouteCacheHeader).Single());
    }

    [Theory]
    [InlineData("--Gateway:NearCache:MaxBytes=0")]
    [InlineData("--Gateway:NearCache:MaxBytes=-1")]
    [InlineData("--Gateway:NearCache:MaxBytes=1024")]
    [InlineData("--Gateway:NearCache:MaxBytes=68719476737")]
    public async Task MaxBytes_OutOfRange_StopsStartNamingTheSetting(string setting)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => GatewayHost.StartAsync(s_app, setting));

        Assert.Contains("MaxBytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NearCache_IsOneInstanceUnderEveryRole()
    {
        await using var host = await GatewayHost.StartAsync(s_app);

        var nearCache = host.Services.GetRequiredService<GatewayNearCache>();

        Assert.Contains(host.Services.GetServices<Cluster.Runtime.Messaging.IBroadcastReceiver>(), r => ReferenceEquals(r, nearCache));
        Assert.Contains(host.Services.GetServices<Cluster.Runtime.Networking.IConnectionLossObserver>(), o => ReferenceEquals(o, nearCache));
    }
}
