namespace Cluster.Routing;

/// <summary>What the middleware may use beyond the request: background work that outlives the response.</summary>
public sealed class MiddlewareContext
{
    private readonly Action<Task> _waitUntil;

    /// <summary>Creates a context; the gateway does this for every request the middleware runs on.</summary>
    /// <param name="waitUntil">Where background work is handed over.</param>
    /// <param name="aborted">Fires when the client went away.</param>
    public MiddlewareContext(Action<Task> waitUntil, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(waitUntil);
        _waitUntil = waitUntil;
        Aborted = aborted;
    }

    /// <summary>Fires when the client went away.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>
    /// Keeps <paramref name="task"/> running after the response is sent. Its failure is logged, never sent to the
    /// client; a graceful shutdown waits for it (for a bounded time).
    /// </summary>
    public void WaitUntil(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        _waitUntil(task);
    }
}
