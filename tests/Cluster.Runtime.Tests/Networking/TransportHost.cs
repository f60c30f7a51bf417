using System.Net;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// One process's side of the cluster protocol, built from a service collection like the real hosts do: a silo (a
/// listener on 127.0.0.1 with an inbound handler) or a client (a gateway: a transport only).
/// </summary>
internal sealed class TransportHost : IAsyncDisposable
{
    public const string MessageName = "echo.v1";
    public const string DefaultClusterId = "test-cluster";
    public const string DefaultSecret = "correct horse battery staple";

    private readonly ServiceProvider _services;

    private TransportHost(ServiceProvider services, ListLogger logs)
    {
        _services = services;
        Logs = logs;
    }

    public IServiceProvider Services => _services;

    public ClusterTransport Transport => _services.GetRequiredService<ClusterTransport>();

    public ClusterListener Listener => _services.GetRequiredService<ClusterListener>();

    public ClusterTransportIdentity Identity => _services.GetRequiredService<ClusterTransportIdentity>();

    public SiloAddress Silo => Identity.SiloAddress ?? throw new InvalidOperationException("Not a silo.");

    public ListLogger Logs { get; }

    public TestNotificationSink Sink => _services.GetRequiredService<TestNotificationSink>();

    public static async Task<TransportHost> StartSiloAsync(
        TestInboundHandler? handler,
        Action<MessagingOptions>? messaging = null,
        string clusterId = DefaultClusterId,
        string? secret = DefaultSecret,
        int port = 0,
        SiloAddress? address = null,
        Action<IServiceCollection>? services = null)
    {
        var host = Create(new ClusterTransportIdentity("silo-starting"), handler, messaging, clusterId, secret, services);
        await host.Listener.StartAsync(new IPEndPoint(IPAddress.Loopback, address?.Port ?? port), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        // Like a silo started on port 0, it learns its address once bound.
        host.Identity.SiloAddress = address ?? new SiloAddress("127.0.0.1", host.Listener.BoundEndPoint!.Port, SiloAddress.NextGeneration(TimeProvider.System));
        return host;
    }

    public static TransportHost CreateClient(
        Action<MessagingOptions>? messaging = null,
        string clusterId = DefaultClusterId,
        string? secret = DefaultSecret,
        Action<IServiceCollection>? services = null)
        => Create(ClusterTransportIdentity.ForClient("gateway"), null, messaging, clusterId, secret, services);

    public ValueTask<string> CallAsync(SiloAddress target, string op, string text = "hi", string key = "k", int viewVersion = 1, CancellationToken cancellationToken = default)
        => Transport.InvokeAsync<EchoRequest, string>(target, new GrainId(new GrainType("echo"), key), new EchoRequest(op, text), viewVersion, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await _services.DisposeAsync();
    }

    private static TransportHost Create(
        ClusterTransportIdentity identity,
        TestInboundHandler? handler,
        Action<MessagingOptions>? messaging,
        string clusterId,
        string? secret,
        Action<IServiceCollection>? configure)
    {
        var logs = new ListLogger();
        var services = new ServiceCollection();
        services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = clusterId;
            options.Secret = secret;
        });
        services.Configure<MessagingOptions>(options => messaging?.Invoke(options));
        services.AddSingleton(identity);
        if (handler is not null)
        {
            services.AddSingleton<IInboundCallHandler>(handler);
        }

        configure?.Invoke(services);
        services.AddSingleton<TestNotificationSink>();
        services.AddSingleton<IMembershipNotificationSink>(sp => sp.GetRequiredService<TestNotificationSink>());
        services.AddClusterTransport();
        services.AddGrainMessage(MessageName, EchoRequestCodec.Instance, StringCodec.Instance);
        return new TransportHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }
}
