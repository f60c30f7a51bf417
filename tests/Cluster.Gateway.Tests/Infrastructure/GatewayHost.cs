using Cluster.Gateway.Hosting;
using Cluster.Routing.Hosting;
using Cluster.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>A real gateway (Kestrel on a free loopback port, in-process silo) for an app's manifest.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, Uri address, TestLogSink logs)
    {
        _app = app;
        Address = address;
        Logs = logs;
        Client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public TestLogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<GatewayHost> StartAsync(ClusterAppManifest manifest, params string[] settings) =>
        StartAsync(manifest, configureServices: null, settings);

    /// <summary>
    /// Starts a gateway whose services <paramref name="configureServices"/> may add to or replace after the gateway's own
    /// registrations (the last registration of a service wins), e.g. a fake <c>RouteCacheClock</c> or a counting dispatcher.
    /// </summary>
    public static async Task<GatewayHost> StartAsync(ClusterAppManifest manifest, Action<IServiceCollection>? configureServices, params string[] settings)
    {
        var logs = new TestLogSink();
        var app = ClusterGateway.CreateApplication(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development", .. settings],
            manifest,
            builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Debug);
                builder.Logging.AddProvider(logs);
                configureServices?.Invoke(builder.Services);
            });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new GatewayHost(app, new Uri(address), logs);
    }

    public async Task StopAsync() => await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
