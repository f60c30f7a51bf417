using Cluster.Runtime;

namespace Cluster.Gateway.Dispatch;

/// <summary>The one place that turns a failed dispatch into an error kind and a status code.</summary>
internal static class DispatchErrors
{
    public static DispatchError Classify(Exception exception, CancellationToken requestAborted) => exception switch
    {
        OperationCanceledException when requestAborted.IsCancellationRequested => DispatchError.ClientAborted,
        SiloUnavailableException => DispatchError.SiloUnavailable,
        // The silo running the call failed mid-call (outcome unknown, never re-sent) or ownership kept moving past the
        // retry budget: either way the cluster could not answer now, which is a 503 to the client, not a 500.
        SiloConnectionLostException or GrainNotOwnedException => DispatchError.SiloUnavailable,
        TimeoutException => DispatchError.TimedOut,
        _ => DispatchError.Failed,
    };

    public static int ToStatusCode(DispatchError error) => error switch
    {
        DispatchError.SiloUnavailable => StatusCodes.Status503ServiceUnavailable,
        DispatchError.TimedOut => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
