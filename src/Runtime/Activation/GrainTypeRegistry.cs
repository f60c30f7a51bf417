using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Placement;

namespace Cluster.Runtime.Activation;

/// <summary>Every grain type this silo can activate, fixed at startup.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly FrozenDictionary<GrainType, GrainTypeRegistration> _registrations;

    public GrainTypeRegistry(IEnumerable<GrainTypeRegistration> registrations, IEnumerable<StatelessWorkerGrainType>? statelessWorkers = null)
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

        // A type declared a stateless worker by configuration is pooled here too, so callers (which spread its calls over
        // every silo) and this catalog agree even when the class lacks [StatelessWorker]. A declared type this silo does
        // not host is only a placement hint for its own calls.
        foreach (var declared in statelessWorkers ?? [])
        {
            if (map.TryGetValue(declared.GrainType, out var registration))
            {
                map[declared.GrainType] = registration.AsStatelessWorker();
            }
        }

        _registrations = map.ToFrozenDictionary();
    }

    public IEnumerable<GrainType> GrainTypes => _registrations.Keys;

    /// <summary>The registrations of stateless-worker types.</summary>
    public IEnumerable<GrainTypeRegistration> StatelessWorkers => _registrations.Values.Where(static r => r.IsStatelessWorker);

    public bool TryGet(GrainType grainType, [NotNullWhen(true)] out GrainTypeRegistration? registration)
        => _registrations.TryGetValue(grainType, out registration);

    public GrainTypeRegistration Get(GrainType grainType)
        => _registrations.TryGetValue(grainType, out var registration)
            ? registration
            : throw new InvalidOperationException(
                $"No grain class is registered for grain type '{grainType}'. Register one with AddGrain<TGrain>(new GrainType(\"{grainType}\")).");
}
