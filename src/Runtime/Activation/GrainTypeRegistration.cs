using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Activation;

/// <summary>
/// A grain type and the class that implements it, with what the runtime reads from the class once at startup: its
/// reentrancy and a constructor factory (resolved per activation, never per call).
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
        _factory = ActivatorUtilities.CreateFactory(grainClass, Type.EmptyTypes);
    }

    public GrainType GrainType { get; }

    public Type GrainClass { get; }

    public bool IsReentrant { get; }

    /// <summary>Builds a grain instance from the activation's own service scope.</summary>
    public Grain CreateInstance(IServiceProvider services) => (Grain)_factory(services, arguments: null);
}
