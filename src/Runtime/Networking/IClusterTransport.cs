using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The cluster protocol as callers in this process see it: persistent, multiplexed, authenticated connections to silos
/// (one per target silo, opened on first use and re-opened after a failure), request/response by correlation id with a
/// response timeout and at-most-once semantics, probes on the same connections, and one-way membership notices.
/// </summary>
public interface IClusterTransport
{
    /// <summary>
    /// Sends a grain request to <paramref name="target"/> and returns its response. The message type must have been
    /// registered with <c>AddGrainMessage&lt;TRequest, TResponse&gt;</c>. Never re-sends.
    /// </summary>
    /// <param name="target">The silo that should run the call (its exact generation: a restarted silo refuses it).</param>
    /// <param name="grainId">The grain.</param>
    /// <param name="request">The request.</param>
    /// <param name="viewVersion">The membership version the caller chose <paramref name="target"/> by.</param>
    /// <param name="cancellationToken">Abandons the wait (the remote call is not cancelled).</param>
    /// <exception cref="SiloUnavailableException">The request was not started: no connection could be made (or the last
    /// attempt failed less than <c>Cluster:Messaging:ConnectionRetryDelay</c> ago), the target refused it (shutting down,
    /// wrong generation) or the connection failed before the request was written. Safe to retry.</exception>
    /// <exception cref="GrainNotOwnedException">The target does not own the grain in its (newer) view; not started, safe to retry after a refresh.</exception>
    /// <exception cref="SiloConnectionLostException">The connection failed after the request was sent: outcome unknown.</exception>
    /// <exception cref="TimeoutException">No response within the response timeout: outcome unknown.</exception>
    /// <exception cref="RemoteGrainException">The grain call failed on the target with an exception.</exception>
    ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(
        SiloAddress target, GrainId grainId, TRequest request, int viewVersion, CancellationToken cancellationToken);

    /// <summary>
    /// Probes <paramref name="target"/> with a ping on the ordinary data connection (so it measures the path grain calls
    /// use), opening it if needed. Returns whether the exact silo (address and generation) answered within
    /// <paramref name="timeout"/>; every failure is <see langword="false"/>, only cancellation throws.
    /// </summary>
    Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Probes <paramref name="target"/> through <paramref name="intermediary"/> (orleans-runtime.md §1.5, indirect probe):
    /// asks the intermediary silo, on this process's data connection to it, to probe the target itself with a shorter
    /// timeout (half of <paramref name="timeout"/>) and report back. Returns <see langword="true"/> only if the
    /// intermediary answered within <paramref name="timeout"/> that the exact target silo answered its probe; every
    /// failure (intermediary unreachable, target silent, no answer in time) is <see langword="false"/>, only
    /// cancellation throws. Tells a broken path from this process to the target apart from a dead target.
    /// </summary>
    Task<bool> ProbeIndirectlyAsync(SiloAddress intermediary, SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Tells every connected peer (silos this process connected to and processes connected to this one, gateways
    /// included) that the membership table reached <paramref name="version"/>, so they refresh now. Best effort, one-way.
    /// </summary>
    void NotifyMembershipChanged(int version);

    /// <summary>
    /// Closes the connection to a silo declared dead: every call waiting on it fails at once with
    /// <see cref="SiloConnectionLostException"/> (sent) or <see cref="SiloUnavailableException"/> (queued, not sent).
    /// </summary>
    void Disconnect(SiloAddress target);
}
