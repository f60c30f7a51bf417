using System.Collections.Frozen;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Activation;

/// <summary>Every grain type this silo can activate, fixed at startup.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly FrozenDictionary<GrainType, GrainTypeRegistration> _registrations;

    public GrainTypeRegistry(IEnumerable<GrainTypeRegistration> registrations)
    {
        var map = new Dictionary<GrainType, GrainTypeRegistration>();
        foreach (var registration in registrations)
        {
            if (map.TryGetValue(registration.GrainType, out var existing) && existing.GrainClass != registration.GrainClass)
            {
                throw new InvalidOperationException(
                    $"Grain type '{registration.GrainType}' is registered twice, for '{existing.GrainClass.FullName}' and " +
                    $"'{registration.GrainClass.FullName}'. Each grain type needs exactly one class.");
            }

            map[registration.GrainType] = registration;
        }

        _registrations = map.ToFrozenDictionary();
    }

    public IEnumerable<GrainType> GrainTypes => _registrations.Keys;

    public GrainTypeRegistration Get(GrainType grainType)
        => _registrations.TryGetValue(grainType, out var registration)
            ? registration
            : throw new InvalidOperationException(
                $"No grain class is registered for grain type '{grainType}'. Register one with AddGrain<TGrain>(new GrainType(\"{grainType}\")).");
}
