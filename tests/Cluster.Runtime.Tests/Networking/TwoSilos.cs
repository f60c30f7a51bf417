using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// Two networked silos in this process: real runtimes sharing one in-memory membership table, calling each other over
/// the real transport on 127.0.0.1, with the <see cref="HopGrain"/> and <see cref="SleepGrain"/> messages registered.
/// </summary>
internal sealed class TwoSilos : IAsyncDisposable
{
    private TwoSilos(TestSilo first, TestSilo second)
    {
        First = first;
        Second = second;
    }

    public TestSilo First { get; }

    public TestSilo Second { get; }

    public static async Task<TwoSilos> StartAsync(
        Action<MessagingOptions>? messaging = null, Action<IServiceCollection>? first = null, Action<IServiceCollection>? second = null)
    {
        var table = new InMemoryMembershipTable(isShared: true);
        var clusterId = "chain-" + Guid.NewGuid().ToString("N")[..8];
        var firstSilo = await StartSiloAsync(table, clusterId, messaging, first);
        TestSilo? secondSilo = null;
        try
        {
            secondSilo = await StartSiloAsync(table, clusterId, messaging, second);
            var silos = new TwoSilos(firstSilo, secondSilo);
            await silos.WaitForBothActiveAsync();
            return silos;
        }
        catch
        {
            if (secondSilo is not null)
            {
                await secondSilo.DisposeAsync();
            }

            await firstSilo.DisposeAsync();
            throw;
        }
    }

    public static SiloAddress AddressOf(TestSilo silo) => silo.Services.GetRequiredService<LocalSiloStatus>().SiloAddress;

    /// <summary>A key of <paramref name="type"/> that <paramref name="silo"/> owns (as both silos' views agree).</summary>
    public string KeyOwnedBy(TestSilo silo, GrainType type, string prefix)
    {
        var placement = First.Services.GetRequiredService<GrainPlacement>();
        var address = AddressOf(silo);
        for (var i = 0; ; i++)
        {
            var key = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (address.Equals(placement.Current.GetOwner(new GrainId(type, key))))
            {
                return key;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }

    /// <summary>Starts one networked silo on <paramref name="table"/> (alone, it is a cluster of one).</summary>
    public static Task<TestSilo> StartSiloAsync(
        InMemoryMembershipTable table, string clusterId, Action<MessagingOptions>? messaging, Action<IServiceCollection>? configure = null)
    {
        var port = FreePort();
        return TestSilo.StartAsync(
            builder => builder.AddGrain<HopGrain>(HopGrain.Type).AddGrain<SleepGrain>(SleepGrain.Type),
            services =>
            {
                services.AddSingleton<IMembershipTable>(table);
                services.AddSingleton<HopLog>();
                services.AddSingleton<SleepLog>();
                services.Configure<SiloOptions>(options =>
                {
                    options.Port = port;
                    options.AdvertisedHost = "127.0.0.1";
                    options.ListenAddress = "127.0.0.1";
                });
                services.Configure<ClusterOptions>(options => options.ClusterId = clusterId);
                services.Configure<MessagingOptions>(options => messaging?.Invoke(options));
                services.AddGrainMessage("hop.v1", HopRequestCodec.Instance, StringCodec.Instance);
                services.AddGrainMessage("sleep.v1", SleepRequestCodec.Instance, Int32Codec.Instance);
                configure?.Invoke(services);
            });
    }

    private async Task WaitForBothActiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var silo in new[] { First, Second })
        {
            var membership = silo.Services.GetRequiredService<IClusterMembership>();
            while (membership.Current.ActiveSilos.Length < 2)
            {
                await membership.RefreshAsync(membership.Current.Version + 1, timeout.Token);
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
