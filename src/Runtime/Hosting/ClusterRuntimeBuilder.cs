using Cluster.Runtime.Activation;
using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Hosting;

internal sealed class ClusterRuntimeBuilder : IClusterRuntimeBuilder
{
    public ClusterRuntimeBuilder(IServiceCollection services) => Services = services;

    public IServiceCollection Services { get; }

    public IClusterRuntimeBuilder AddGrain<TGrain>(GrainType grainType)
        where TGrain : Grain
    {
        var registration = new GrainTypeRegistration(grainType, typeof(TGrain));
        foreach (var descriptor in Services)
        {
            if (descriptor.ServiceType == typeof(GrainTypeRegistration)
                && descriptor.ImplementationInstance is GrainTypeRegistration existing
                && existing.GrainType == grainType)
            {
                if (existing.GrainClass == typeof(TGrain))
                {
                    return this;
                }

                throw new InvalidOperationException(
                    $"Grain type '{grainType}' is already registered for '{existing.GrainClass.FullName}'; it cannot also be '{typeof(TGrain).FullName}'.");
            }
        }

        Services.AddSingleton(registration);
        return this;
    }
}
