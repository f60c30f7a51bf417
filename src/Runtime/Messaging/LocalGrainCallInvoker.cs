using System.Diagnostics;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Tracing;

namespace Cluster.Runtime.Messaging;

/// <summary>Calls grains activated in this process. Rejects calls unless the silo is <see cref="SiloStatus.Active"/>.</summary>
/// <remarks>
/// This is the boundary of a local call — the embedded silo's, or a call the cluster invoker placed on this silo — so it
/// starts the call's <c>grain</c> span, as the transport's receiving side does for a remote one. The caller's
/// <see cref="Activity.Current"/> is the parent: it is still on this stack here, whereas a request the activation queues
/// runs later on the thread pool (its work item restores the execution context it captured, which then holds the grain
/// span). Without a listener this costs one field read.
/// </remarks>
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

        if (RuntimeTracing.IsEnabled)
        {
            return InvokeTraced<TRequest, TResponse>(grainId, request, cancellationToken);
        }

        return _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken);
    }

    private ValueTask<TResponse> InvokeTraced<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken)
    {
        var caller = Activity.Current;
        RuntimeTracing.RecordTarget(caller, _status.SiloAddress);
        var activity = RuntimeTracing.StartGrainSpan(grainId, _status.SiloAddress, default);
        if (activity is null)
        {
            return _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken);
        }

        ValueTask<TResponse> pending;
        try
        {
            pending = _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken);
        }
        catch (Exception ex)
        {
            RuntimeTracing.Fail(activity, ex);
            activity.Stop();
            throw;
        }
        finally
        {
            // This method is not async: what it set as current would leak into the caller's flow. The grain's own flow
            // (inline, or the queued work item's captured context) already holds the span.
            Activity.Current = caller;
        }

        if (pending.IsCompletedSuccessfully)
        {
            activity.Stop();
            return pending;
        }

        return EndWhenDoneAsync(pending, activity);
    }

    private static async ValueTask<TResponse> EndWhenDoneAsync<TResponse>(ValueTask<TResponse> pending, Activity activity)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            RuntimeTracing.Fail(activity, ex);
            throw;
        }
        finally
        {
            activity.Stop();
        }
    }
}
