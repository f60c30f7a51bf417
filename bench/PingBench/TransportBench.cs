using System.Net;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.PingBench;

/// <summary>
/// <c>--transport</c>: calls <see cref="IClusterTransport"/> directly against an <see cref="EchoHandler"/> — the
/// transport's own figure (framing, codec, sockets, handshake-authenticated connection), no grain runtime on either side.
/// </summary>
internal static class TransportBench
{
    public static async Task RunAsync(Settings settings)
    {
        await using var silo = settings.Target is null ? await StartSiloAsync(settings) : null;
        if (settings.Serve)
        {
            Console.WriteLine($"Serving {silo!.Address}; press Ctrl+C to stop.");
            await WaitForCtrlCAsync();
            return;
        }

        var target = settings.Target ?? silo!.Address;
        await using var client = CreateServices(settings, ClusterTransportIdentity.ForClient("pingbench"), handler: null);
        var transport = client.GetRequiredService<IClusterTransport>();
        var grain = new GrainId(new GrainType("ping"), "bench");
        var request = new PingRequest(new byte[settings.Payload]);

        Console.WriteLine($"transport: {settings.Callers} closed-loop callers of IClusterTransport.InvokeAsync against an echo handler, " +
            $"{settings.Payload}-byte payload, target {target} ({(settings.Target is null ? "in this process" : "another process")}), " +
            $"{Environment.ProcessorCount} cores; warm-up {settings.Warmup} s, {settings.Runs} run(s) of {settings.Seconds} s. " +
            $"Allocations and CPU are this process's ({(settings.Target is null ? "both sides" : "client side")}, the benchmark's own loop included).");
        await BenchRunner.RunAsync(settings, _ => transport.InvokeAsync<PingRequest, PingRequest>(target, grain, request, 1, CancellationToken.None));
    }

    internal static async Task WaitForCtrlCAsync()
    {
        var stop = new TaskCompletionSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        await stop.Task;
    }

    private static async Task<Silo> StartSiloAsync(Settings settings)
    {
        var identity = new ClusterTransportIdentity("pingbench-silo");
        var services = CreateServices(settings, identity, new EchoHandler());
        var listener = services.GetRequiredService<ClusterListener>();
        await listener.StartAsync(new IPEndPoint(IPAddress.Loopback, settings.Port), CancellationToken.None);
        identity.SiloAddress = new SiloAddress("127.0.0.1", listener.BoundEndPoint!.Port, SiloAddress.NextGeneration(TimeProvider.System));
        return new Silo(services, identity.SiloAddress);
    }

    private static ServiceProvider CreateServices(Settings settings, ClusterTransportIdentity identity, IInboundCallHandler? handler)
    {
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = settings.ClusterId;
            o.Secret = settings.Secret;
        });
        services.AddSingleton(identity);
        if (handler is not null)
        {
            services.AddSingleton(handler);
        }

        services.AddClusterTransport();
        services.AddGrainMessage("ping.v1", PingCodec.Instance, PingCodec.Instance);
        return services.BuildServiceProvider();
    }
}
