namespace Cluster.Runtime.Networking;

/// <summary>The outcome a response frame carries, and the exception the caller sees for it.</summary>
internal enum ResponseStatus : byte
{
    /// <summary>The call ran; the response codec's bytes follow.</summary>
    Ok = 0,

    /// <summary>Not started (shutting down, wrong generation, no handler): <see cref="SiloUnavailableException"/>.</summary>
    Rejected = 1,

    /// <summary>Not started, another silo owns the grain: <see cref="GrainNotOwnedException"/> with the owner's view version.</summary>
    NotOwner = 2,

    /// <summary>The call failed on the target: <see cref="RemoteGrainException"/> with the exception's type and message.</summary>
    Error = 3,

    /// <summary>The request's time to live ran out before it ran; never executed: <see cref="TimeoutException"/>.</summary>
    Expired = 4,
}
