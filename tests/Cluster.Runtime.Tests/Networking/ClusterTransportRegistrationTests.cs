using Cluster.Runtime.Hosting;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Networking;

public sealed class ClusterTransportRegistrationTests
{
    [Fact]
    public async Task AddClusterTransport_BindsMessagingOptionsFromConfiguration()
    {
        await using var services = Build(new Dictionary<string, string?>
        {
            ["Cluster:Messaging:ResponseTimeout"] = "00:00:07",
            ["Cluster:Messaging:MaxFrameSize"] = "65536",
            ["Cluster:ClusterId"] = "prod",
        });

        var messaging = services.GetRequiredService<IOptions<MessagingOptions>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(7), messaging.ResponseTimeout);
        Assert.Equal(65536, messaging.MaxFrameSize);
        Assert.Equal("prod", services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId);
        Assert.Same(services.GetRequiredService<ClusterTransport>(), services.GetRequiredService<IClusterTransport>());
    }

    [Fact]
    public async Task AddClusterTransport_FrameSizeTooSmall_ValidationNamesTheSetting()
    {
        await using var services = Build(new Dictionary<string, string?> { ["Cluster:Messaging:MaxFrameSize"] = "10" });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MessagingOptions>>().Value);

        Assert.Contains("MaxFrameSize", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClusterTransport_PostgresWithoutSecret_ValidationNamesTheSetting()
    {
        await using var services = Build(new Dictionary<string, string?>
        {
            ["Cluster:Membership"] = "Postgres",
            ["Cluster:ConnectionString"] = "Host=localhost",
        });

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ClusterOptions>>().Value);

        Assert.Contains("Cluster:Secret", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddClusterTransport_NoIdentityRegistered_ActsAsAClient()
    {
        await using var services = Build([]);

        var identity = services.GetRequiredService<ClusterTransportIdentity>();

        Assert.Null(identity.SiloAddress);
        Assert.StartsWith("process/", identity.Name, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddClusterTransport();
        return services.BuildServiceProvider();
    }
}
