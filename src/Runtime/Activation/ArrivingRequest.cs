namespace Cluster.Runtime.Activation;

/// <summary>
/// The network request whose handler call is on this thread's stack right now (set by the transport around the
/// synchronous part of the call). When the target activation queues it, the activation tells it, so the silo's status
/// reports can say "waiting" rather than "executing". A thread-static costs no allocation on the call path.
/// </summary>
internal static class ArrivingRequest
{
    [ThreadStatic]
    private static IArrivingRequest? t_current;

    /// <summary>The request being handed to its grain on this thread, or null.</summary>
    public static IArrivingRequest? Current
    {
        get => t_current;
        set => t_current = value;
    }
}
