using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.PingBench;

/// <summary>
/// <c>--runtime</c>: real grain calls. A silo host (<c>AddClusterRuntime</c> with the ping grains) and a client host
/// (<c>AddClusterClient</c>), both generic hosts; the client calls <c>IGrainFactory.GetGrain(type, key).InvokeAsync</c>,
/// so each call goes through placement, the cluster invoker, the transport over loopback, the silo's ownership check,
/// the activation catalog and a grain turn. Without <c>--postgres</c> both hosts run in this process and share an
/// <see cref="InMemoryMembershipTable"/> marked shared (the test cluster's arrangement); with it, <c>--serve</c> runs
/// only the silo and a run without <c>--serve</c> only the client, and they find each other in PostgreSQL.
/// </summary>
internal static class RuntimeBench
{
    private static readonly GrainType s_sharedType = new("ping");
    private static readonly GrainType s_perCallerType = new("ping-serial");

    public static async Task RunAsync(Settings settings)
    {
        if (settings.Serve)
        {
            using var siloOnly = CreateSilo(settings, table: null);
            await siloOnly.StartAsync();
            Console.WriteLine($"Silo {siloOnly.Services.GetRequiredService<ISiloStatus>().SiloAddress} is active in cluster '{settings.ClusterId}'; press Ctrl+C to stop.");
            await siloOnly.WaitForShutdownAsync();
            return;
        }

        // One shared table makes the two hosts of this process peers, exactly as PostgreSQL does for two processes.
        var table = settings.ConnectionString is null ? new InMemoryMembershipTable(isShared: true) : null;
        using var silo = table is null ? null : CreateSilo(settings, table);
        if (silo is not null)
        {
            await silo.StartAsync();
        }

        using var client = CreateClient(settings, table);
        await client.StartAsync();
        try
        {
            await WaitForSiloAsync(client.Services.GetRequiredService<IClusterMembership>());
            var factory = client.Services.GetRequiredService<IGrainFactory>();
            var grains = new GrainReference[settings.Callers];
            for (var i = 0; i < grains.Length; i++)
            {
                grains[i] = settings.Grains == GrainLayout.Shared
                    ? factory.GetGrain(s_sharedType, "bench")
                    : factory.GetGrain(s_perCallerType, "bench-" + i.ToString(CultureInfo.InvariantCulture));
            }

            var request = new PingRequest(new byte[settings.Payload]);
            var where = silo is null
                ? "client only; the silo is another process, found in the PostgreSQL membership table"
                : "silo host and client host in this process, peers through a shared in-memory membership table";
            var grainsText = settings.Grains == GrainLayout.Shared
                ? "one [Reentrant] grain shared by every caller"
                : $"{settings.Callers} non-reentrant grains, one per caller";
            Console.WriteLine($"runtime: {settings.Callers} closed-loop callers of IGrainFactory.GetGrain(...).InvokeAsync, {grainsText}, " +
                $"{settings.Payload}-byte payload, over loopback TCP ({where}); {Environment.ProcessorCount} cores; " +
                $"warm-up {settings.Warmup} s, {settings.Runs} run(s) of {settings.Seconds} s. Allocations and CPU are this process's " +
                $"({(silo is null ? "client side" : "both sides")}, the benchmark's own loop included).");
            await BenchRunner.RunAsync(settings, caller => grains[caller].InvokeAsync<PingRequest, PingRequest>(request));
            if (silo is not null)
            {
                // The calls reached grains: one activation for the shared grain, one per caller otherwise.
                var expected = settings.Grains == GrainLayout.Shared ? 1 : settings.Callers;
                Console.WriteLine($"grain activations on the silo: {ActivationCounter.Count} (expected {expected})");
                if (ActivationCounter.Count != expected)
                {
                    throw new InvalidOperationException($"The silo activated {ActivationCounter.Count} grains; the run expected {expected}.");
                }
            }
        }
        finally
        {
            await client.StopAsync();
            if (silo is not null)
            {
                await silo.StopAsync();
            }
        }
    }

    private static IHost CreateSilo(Settings settings, IMembershipTable? table)
    {
        var port = settings.Port != 0 ? settings.Port : FreePort();
        var builder = CreateBuilder(settings, new Dictionary<string, string?>
        {
            ["Silo:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Silo:AdvertisedHost"] = "127.0.0.1",
            ["Silo:SiloName"] = "pingbench-silo",
        });
        if (table is not null)
        {
            // Registered before the runtime, whose TryAdd then keeps it.
            builder.Services.AddSingleton(table);
        }

        builder.Services.AddClusterRuntime()
            .AddGrain<ReentrantPingGrain>(s_sharedType)
            .AddGrain<PingGrain>(s_perCallerType);
        builder.Services.AddGrainMessage("ping.v1", PingCodec.Instance, PingCodec.Instance);
        return builder.Build();
    }

    private static IHost CreateClient(Settings settings, IMembershipTable? table)
    {
        var builder = CreateBuilder(settings, []);
        if (table is not null)
        {
            builder.Services.AddSingleton(table);
        }

        builder.Services.AddClusterClient();
        builder.Services.AddGrainMessage("ping.v1", PingCodec.Instance, PingCodec.Instance);
        return builder.Build();
    }

    private static HostApplicationBuilder CreateBuilder(Settings settings, Dictionary<string, string?> extra)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ApplicationName = "PingBench",
        });
        var values = new Dictionary<string, string?>(extra)
        {
            ["Cluster:ClusterId"] = settings.ClusterId,
            ["Cluster:Secret"] = settings.Secret,
            ["Cluster:Membership"] = settings.ConnectionString is null ? nameof(MembershipKind.InMemory) : nameof(MembershipKind.Postgres),
            ["Cluster:ConnectionString"] = settings.ConnectionString,
        };
        builder.Configuration.AddInMemoryCollection(values);

        // Warnings and errors only: the run's console is its result.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        return builder;
    }

    private static async Task WaitForSiloAsync(IClusterMembership membership)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (membership.Current.ActiveSilos.IsEmpty)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No silo became active in the membership table within 60 s (start one with --runtime --serve --postgres ...).");
            }

            await Task.Delay(200);
            await membership.RefreshAsync(membership.Current.Version + 1, CancellationToken.None);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
