namespace Cluster.Gateway.Dispatch;

/// <summary>Why a dispatch produced no response of the handler's own. Mapped to a status by <see cref="DispatchErrors"/>.</summary>
internal enum DispatchError
{
    /// <summary>The call failed inside the runtime (a bug or an unexpected fault): 500.</summary>
    Failed,

    /// <summary>No silo could take the call (shutting down, unreachable): 503.</summary>
    SiloUnavailable,

    /// <summary>The call's outcome is unknown after the request timeout: 504.</summary>
    TimedOut,

    /// <summary>The client went away; nothing is sent.</summary>
    ClientAborted,
}
