using System.Reflection;
using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Activation;

/// <summary>
/// A grain type and the class that implements it, with what the runtime reads from the class once at startup: its
/// reentrancy, whether it is a stateless worker (and its pool size), and a constructor factory (resolved per
/// activation, never per call).
/// </summary>
internal sealed class GrainTypeRegistration
{
    private readonly ObjectFactory _factory;

    public GrainTypeRegistration(GrainType grainType, Type grainClass)
    {
        ArgumentNullException.ThrowIfNull(grainClass);
        if (grainType.IsDefault || grainType.Name.Length == 0)
        {
            throw new ArgumentException("A grain type needs a non-empty name.", nameof(grainType));
        }

        if (grainClass.IsAbstract || !grainClass.IsSubclassOf(typeof(Grain)))
        {
            throw new ArgumentException($"'{grainClass.FullName}' must be a non-abstract class derived from Grain.", nameof(grainClass));
        }

        GrainType = grainType;
        GrainClass = grainClass;
        IsReentrant = grainClass.IsDefined(typeof(ReentrantAttribute), inherit: true);
        if (grainClass.GetCustomAttribute<StatelessWorkerAttribute>(inherit: true) is { } worker)
        {
            MaxLocalWorkers = ResolveMaxLocalWorkers(worker.MaxLocalWorkers);
        }

        _factory = ActivatorUtilities.CreateFactory(grainClass, Type.EmptyTypes);
    }

    private GrainTypeRegistration(GrainTypeRegistration source, int maxLocalWorkers)
    {
        GrainType = source.GrainType;
        GrainClass = source.GrainClass;
        IsReentrant = source.IsReentrant;
        MaxLocalWorkers = maxLocalWorkers;
        _factory = source._factory;
    }

    public GrainType GrainType { get; }

    public Type GrainClass { get; }

    public bool IsReentrant { get; }

    /// <summary>Whether each silo keeps a pool of activations per grain id instead of one activation in the cluster.</summary>
    public bool IsStatelessWorker => MaxLocalWorkers > 0;

    /// <summary>The pool's size limit per grain id on this silo; 0 for an ordinary (single-activation) grain.</summary>
    public int MaxLocalWorkers { get; }

    /// <summary>Builds a grain instance from the activation's own service scope.</summary>
    public Grain CreateInstance(IServiceProvider services) => (Grain)_factory(services, arguments: null);

    /// <summary>
    /// This registration as a stateless worker with the default pool size: a type declared a stateless worker by
    /// configuration whose class carries no <see cref="StatelessWorkerAttribute"/>. Callers spread its calls over the
    /// silos, so a single activation per silo would still be several in the cluster: pooling it is the consistent reading.
    /// </summary>
    public GrainTypeRegistration AsStatelessWorker()
        => IsStatelessWorker ? this : new GrainTypeRegistration(this, ResolveMaxLocalWorkers(0));

    private static int ResolveMaxLocalWorkers(int declared) => declared > 0 ? declared : Environment.ProcessorCount;
}
