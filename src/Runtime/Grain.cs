using Cluster.Runtime.Activation;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime;

/// <summary>
/// The base of every grain class. An instance is built by the silo's container once per activation and is called by
/// the runtime only: by default one turn at a time (see <see cref="ReentrantAttribute"/>, <see cref="AlwaysInterleaveAttribute"/>
/// and <see cref="ReadOnlyAttribute"/> for the exceptions). Requests reach it through the
/// <see cref="IGrainHandler{TRequest, TResponse}"/> interfaces it implements.
/// </summary>
public abstract class Grain
{
    private ActivationData? _activation;

    /// <summary>The grain's identity. Set before <see cref="OnActivateAsync"/>; not available in the constructor.</summary>
    /// <exception cref="InvalidOperationException">Read from the constructor.</exception>
    public GrainId GrainId => _activation?.GrainId
        ?? throw new InvalidOperationException("The grain id is available from OnActivateAsync on, not in the constructor.");

    /// <summary>
    /// Runs once when the activation starts, before any request. Requests that arrive meanwhile wait and then run in
    /// arrival order. If it throws (or exceeds the activation timeout), the waiting callers get the exception, the
    /// activation is discarded and the next call tries again with a new instance.
    /// </summary>
    /// <param name="cancellationToken">Fires when the activation timeout elapses or the silo stops.</param>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs once when the activation ends, after its last running request finished. Best effort: a crash skips it, so
    /// never rely on it for durability.
    /// </summary>
    /// <param name="reason">Why the activation ends.</param>
    /// <param name="cancellationToken">Fires when the deactivation timeout elapses.</param>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Asks the runtime to deactivate this activation once its running requests have finished (requests that arrive
    /// afterwards go to a new activation).
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from the constructor.</exception>
    protected void DeactivateOnIdle()
    {
        var activation = _activation
            ?? throw new InvalidOperationException("DeactivateOnIdle cannot be called from the constructor.");
        activation.RequestDeactivation(DeactivationReason.ApplicationRequested);
    }

    internal void Attach(ActivationData activation) => _activation = activation;
}
