using Cluster.Runtime.Identity;
using Cluster.Runtime.Messaging;

namespace Cluster.Runtime;

/// <summary>The grain factory over the registered <see cref="IGrainCallInvoker"/>.</summary>
internal sealed class GrainFactory : IGrainFactory
{
    private readonly IGrainCallInvoker _invoker;

    public GrainFactory(IGrainCallInvoker invoker) => _invoker = invoker;

    public GrainReference GetGrain(GrainType grainType, string key) => new(new GrainId(grainType, key), _invoker);
}
