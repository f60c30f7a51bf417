using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Membership.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Membership.Table;

public sealed class MembershipServiceCollectionExtensionsTests
{
    [Fact]
    public void AddMembershipTable_NoConfiguration_RegistersAPrivateInMemoryTable()
    {
        using var services = new ServiceCollection().AddMembershipTable().BuildServiceProvider();

        var table = services.GetRequiredService<IMembershipTable>();

        Assert.IsType<InMemoryMembershipTable>(table);
        Assert.False(table.IsShared);
        Assert.Same(table, services.GetRequiredService<IMembershipTable>());
    }

    [Fact]
    public void AddMembershipTable_Postgres_RegistersAPostgresTableForTheClusterId()
    {
        using var services = CreateServices(new()
        {
            ["Cluster:Membership"] = "Postgres",
            ["Cluster:ConnectionString"] = "Host=127.0.0.1;Port=1;Username=postgres",
            ["Cluster:ClusterId"] = "prod",
        });

        var table = services.GetRequiredService<IMembershipTable>();

        Assert.IsType<PostgresMembershipTable>(table);
        Assert.True(table.IsShared);
    }

    [Fact]
    public void AddMembershipTable_PostgresWithoutConnectionString_FailsNamingTheSetting()
    {
        using var services = CreateServices(new() { ["Cluster:Membership"] = "Postgres" });

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<IMembershipTable>());

        Assert.Contains("Cluster:ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMembershipTable_TableAlreadyRegistered_KeepsIt()
    {
        var shared = new InMemoryMembershipTable(isShared: true);
        using var services = new ServiceCollection()
            .AddSingleton<IMembershipTable>(shared)
            .AddMembershipTable()
            .BuildServiceProvider();

        Assert.Same(shared, services.GetRequiredService<IMembershipTable>());
    }

    private static ServiceProvider CreateServices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddMembershipTable()
            .BuildServiceProvider();
    }
}
