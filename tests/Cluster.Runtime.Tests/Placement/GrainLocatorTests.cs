using Cluster.Runtime.Hosting;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Placement;

/// <summary><see cref="IGrainLocator"/> alone (the embedded default) and in a networked cluster.</summary>
public sealed class GrainLocatorTests
{
    [Fact]
    public async Task GetOwner_SiloAlone_IsThisSiloForEveryGrainButStatelessWorkers()
    {
        // Arrange: a membership table private to the process, whose view stays empty.
        await using var silo = await TestSilo.StartAsync(static builder => builder
            .AddGrain<EchoGrain>(EchoGrain.Type)
            .AddGrain<DefaultStatelessWorkerGrain>(DefaultStatelessWorkerGrain.Type));
        var sut = silo.Services.GetRequiredService<IGrainLocator>();
        var self = silo.Services.GetRequiredService<LocalSiloStatus>().SiloAddress;

        // Act
        var owner = sut.GetOwner(new(EchoGrain.Type, "a"));
        var worker = sut.GetOwner(new(DefaultStatelessWorkerGrain.Type, "a"));

        // Assert
        Assert.Equal(self, owner);
        Assert.Null(worker);
    }

    [Fact]
    public async Task GetOwner_TwoSilos_IsTheSiloThatOwnsTheKey()
    {
        // Arrange
        await using var silos = await TwoSilos.StartAsync();
        var key = silos.KeyOwnedBy(silos.Second, EchoGrain.Type, "locate");
        var sut = silos.First.Services.GetRequiredService<IGrainLocator>();

        // Act
        var owner = sut.GetOwner(new(EchoGrain.Type, key));

        // Assert
        Assert.Equal(TwoSilos.AddressOf(silos.Second), owner);
    }
}
