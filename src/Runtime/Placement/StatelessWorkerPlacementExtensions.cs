using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Placement;

/// <summary>Declares grain types placed as stateless workers (see <see cref="StatelessWorkerAttribute"/>).</summary>
public static class StatelessWorkerPlacementExtensions
{
    /// <summary>
    /// Declares that <paramref name="grainType"/> is placed as a stateless worker: calls run on the caller's own silo
    /// when it is Active, otherwise on any Active silo (spread round-robin), never on one owner. A process that hosts no
    /// grain classes (a gateway without a silo) needs this to place such calls; a silo reads
    /// <see cref="StatelessWorkerAttribute"/> from the registered class by itself, and pools a declared type even when
    /// its class lacks the attribute. Declaring a type twice is harmless.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="grainType"/> has no name.</exception>
    public static IServiceCollection AddStatelessWorkerPlacement(this IServiceCollection services, GrainType grainType)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (grainType.IsDefault || grainType.Name.Length == 0)
        {
            throw new ArgumentException("A grain type needs a non-empty name.", nameof(grainType));
        }

        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(StatelessWorkerGrainType)
                && descriptor.ImplementationInstance is StatelessWorkerGrainType existing
                && existing.GrainType == grainType)
            {
                return services;
            }
        }

        return services.AddSingleton(new StatelessWorkerGrainType(grainType));
    }
}
