using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Messaging;

/// <summary>Calls grains activated in this process. Rejects calls unless the silo is <see cref="SiloStatus.Active"/>.</summary>
internal sealed class LocalGrainCallInvoker : IGrainCallInvoker
{
    private readonly ActivationCatalog _catalog;
    private readonly LocalSiloStatus _status;

    public LocalGrainCallInvoker(ActivationCatalog catalog, LocalSiloStatus status)
    {
        _catalog = catalog;
        _status = status;
    }

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        if (!_status.AcceptsCalls)
        {
            return ValueTask.FromException<TResponse>(_status.CreateUnavailableException());
        }

        return _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken);
    }
}
